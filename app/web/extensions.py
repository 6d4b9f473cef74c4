from flask_babel import Babel
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
babel = Babel()
