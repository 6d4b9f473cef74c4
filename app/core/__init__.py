"""Pure domain rules: no Flask, no database. Each module has its own tests."""
