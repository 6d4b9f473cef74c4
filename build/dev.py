#!/usr/bin/env python3
"""Koordi's developer entry point. Needs only Python 3.11+ (standard library only).

    python3 build/dev.py run [koordi args]     the app (window, or without a display: serve)
    python3 build/dev.py test [pytest args]    the whole test suite
    python3 build/dev.py bundle [args]         the PyInstaller bundle (build/build_bundle.py)
    python3 build/dev.py lock [uv args]        regenerate build/requirements*.lock
    python3 build/dev.py lockcheck             the runtime lock resolves for Windows too (uv, network)
    python3 build/dev.py extract               messages.pot, then update the fi/sv/en catalogs

Every command first makes sure `.venv` (in the repo root) holds exactly the
locked dependencies (build/requirements-dev.lock, installed with hashes) and the
project in editable mode, with the packages' and the project's bytecode compiled; a
stamp file with the hash of the lock and pyproject.toml skips the install when nothing changed. `test` also installs the Debian
packages of build/apt-packages.txt when they are missing (as root).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if sys.version_info < (3, 11):  # noqa: UP036 - says so on an older Python instead of a SyntaxError
    sys.exit(f"dev: Koordi needs Python 3.11 or newer; this is {sys.version.split()[0]} ({sys.executable})")

import tomllib

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
RUNTIME_LOCK = BUILD / "requirements.lock"
DEV_LOCK = BUILD / "requirements-dev.lock"
BUILD_REQS = BUILD / "requirements-build.in"
APT_PACKAGES = BUILD / "apt-packages.txt"
BABEL_CFG = BUILD / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
STAMP = VENV / "koordi-install.json"
WINDOWS = os.name == "nt"
LANGUAGES = ("fi", "sv", "en")
INPUTS_MARK = "# koordi-inputs-sha256: "
UV_VERSION = "uv>=0.5"

QUIET_PIP = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PIP_PROGRESS_BAR": "off"}


def step(message: str) -> None:
    print(f"dev: {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    print(f"dev: error: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd: list[str | Path], **kw) -> None:
    """Run a command; on failure say which and exit with its code."""
    env = kw.pop("env", None)
    full_env = {**os.environ, **QUIET_PIP, **(env or {})}
    result = subprocess.run([str(c) for c in cmd], cwd=kw.pop("cwd", ROOT), env=full_env, **kw)
    if result.returncode != 0:
        fail(f"{Path(str(cmd[0])).name} {' '.join(str(c) for c in cmd[1:4])}... exited {result.returncode}", result.returncode)


def sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


# --- the virtual environment -------------------------------------------------------------


def venv_bin(name: str) -> Path:
    if WINDOWS:
        return VENV / "Scripts" / (name + ".exe")
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_bin("python")


@contextlib.contextmanager
def setup_lock():
    """One setup at a time per checkout (two terminals, an editor running tests...)."""
    path = Path(tempfile.gettempdir()) / f"koordi-dev-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}.lock"
    with open(path, "a+b") as fh:
        if WINDOWS:
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    time.sleep(1)
        else:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if WINDOWS:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(fh, fcntl.LOCK_UN)


def venv_works() -> bool:
    py = venv_python()
    if not py.exists():
        return False
    try:
        return subprocess.run([str(py), "-c", "import sys"], capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


def ensure_venv_module() -> None:
    """Debian's own python3 has no ensurepip until python3-venv is installed."""
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        package = f"python3.{sys.version_info.minor}-venv"
        if sys.platform.startswith("linux") and is_root() and shutil.which("apt-get"):
            apt_install([package])
        else:
            fail(f"this Python has no venv/ensurepip; install the package {package} (or use a python.org Python)")


def create_venv() -> None:
    ensure_venv_module()
    step(f"creating .venv with {sys.executable} (Python {sys.version.split()[0]})")
    import venv

    venv.EnvBuilder(with_pip=True, clear=True, upgrade_deps=False).create(VENV)
    if not venv_python().exists():
        fail(f"venv creation left no {venv_python()}")


def lock_inputs_hash() -> str:
    """What the locks are computed from: pyproject's dependencies and the build requirements."""
    with PYPROJECT.open("rb") as fh:
        project = tomllib.load(fh)
    inputs = {
        "requires-python": project["project"].get("requires-python"),
        "dependencies": project["project"].get("dependencies", []),
        "optional-dependencies": project["project"].get("optional-dependencies", {}),
        "build": BUILD_REQS.read_text(encoding="utf-8") if BUILD_REQS.exists() else "",
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def check_lock_fresh() -> None:
    text = DEV_LOCK.read_text(encoding="utf-8")
    recorded = next((line[len(INPUTS_MARK) :].strip() for line in text.splitlines() if line.startswith(INPUTS_MARK)), None)
    if recorded != lock_inputs_hash():
        step("WARNING: pyproject.toml's dependencies changed since the locks were made: run `python3 build/dev.py lock`")


def ensure_env() -> Path:
    """A .venv with the dev lock and the project installed; returns its python."""
    if not DEV_LOCK.exists():
        fail(f"{DEV_LOCK.relative_to(ROOT)} is missing: run `python3 build/dev.py lock`")
    with setup_lock():
        lock_hash = sha256(DEV_LOCK.read_bytes())
        project_hash = sha256(PYPROJECT.read_bytes())
        try:
            stamp = json.loads(STAMP.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stamp = {}
        working = venv_works()
        if working and stamp.get("lock") == lock_hash and stamp.get("project") == project_hash and stamp.get("bytecode"):
            compile_project(venv_python())
            return venv_python()
        check_lock_fresh()
        # A changed lock gets a new venv: packages dropped from the lock must not linger.
        if not working or stamp.get("lock") != lock_hash:
            create_venv()
            py = venv_python()
            started = time.monotonic()
            step(f"installing {DEV_LOCK.relative_to(ROOT).as_posix()} (hash-checked)")
            install_locked(py)
            step(f"installed the locked packages in {time.monotonic() - started:.0f} s")
        elif not stamp.get("bytecode"):  # a .venv from before the packages were installed compiled
            compile_bytecode(venv_python(), site_packages(venv_python()))
        py = venv_python()
        step("installing koordi itself (editable)")
        # setuptools comes from the lock: no unpinned download for the build.
        run([py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ROOT])
        compile_project(py)
        STAMP.write_text(
            json.dumps({"lock": lock_hash, "project": project_hash, "python": sys.version.split()[0], "bytecode": True}),
            encoding="utf-8",
        )
        return py


def install_locked(py: Path) -> None:
    """The dev lock, every file checked against its hash: by uv (some 5 s against pip's 45 s on a
    fresh machine: the downloads in parallel), or by pip where uv cannot be had or cannot reach the
    index (uv reads neither pip.conf nor PIP_* settings, e.g. a proxy or a local wheel folder)."""
    uv = [py, "-m", "uv", "pip", "install", "--quiet", "--python", py, "--require-hashes", "--compile-bytecode", "-r", DEV_LOCK]
    if has_uv(py) and subprocess.call([str(a) for a in uv], cwd=ROOT) == 0:
        return
    step("uv could not install the lock: pip instead")
    run([py, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", DEV_LOCK])


# Every Python process the tests start (`koordi serve`, the CLI, the window) then reads the
# packages' and Koordi's compiled bytecode instead of compiling some 700 modules from source: about
# 1 s of CPU per process. uv installs without bytecode unless asked, and where PYTHONDONTWRITEBYTECODE
# is set (some CI images, some IDEs) Python never writes it either; compileall writes it regardless.
PROJECT_SOURCES = ("app", "tests", "build", "bench")


def site_packages(py: Path) -> Path:
    out = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
    )
    return Path(out.stdout.strip())


def compile_bytecode(py: Path, *folders: Path) -> None:
    """Bytecode for every module under `folders` that has none or an outdated one (quick when all is
    fresh). Only a speed-up: where it cannot be written, Python compiles in memory as before."""
    subprocess.run([str(py), "-m", "compileall", "-q", "-j", "0", *map(str, folders)], cwd=ROOT, stdout=subprocess.DEVNULL)


def compile_project(py: Path) -> None:
    compile_bytecode(py, *(ROOT / name for name in PROJECT_SOURCES))


def compile_catalogs(py: Path) -> None:
    code = "from app.i18n import compile_catalogs; print(len(compile_catalogs()))"
    out = subprocess.run([str(py), "-c", code], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        fail("compiling the translation catalogs failed")
    lines = out.stdout.strip().splitlines()
    written = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    step(f"translation catalogs: {written} compiled" if written else "translation catalogs: up to date")


# --- Debian packages ---------------------------------------------------------------------


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_wanted() -> list[str]:
    if not APT_PACKAGES.exists():
        return []
    wanted = []
    for line in APT_PACKAGES.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        wanted.extend(line.split())
    return wanted


def dpkg_installed(package: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package], capture_output=True, text=True)
    return out.returncode == 0 and out.stdout.strip() == "installed"


def apt_install(packages: list[str]) -> None:
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    log = Path(tempfile.gettempdir()) / "koordi-apt.log"
    opts = ["-q", "-o", "DPkg::Lock::Timeout=600"]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as fh:
        for cmd, what in (
            (["apt-get", *opts, "update"], "apt-get update"),
            (["apt-get", *opts, "install", "-y", "--no-install-recommends", *packages], f"apt-get install {' '.join(packages)}"),
        ):
            step(what)
            result = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env={**os.environ, **env})
            if result.returncode != 0:
                fh.flush()
                tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
                sys.stderr.write("\n".join(tail) + "\n")
                fail(f"{what} exited {result.returncode} (full output: {log})")
    step(f"system packages installed in {time.monotonic() - started:.0f} s")


def ensure_system_packages() -> None:
    wanted = apt_wanted()
    if not wanted:
        return
    if not shutil.which("dpkg-query"):
        step(f"not a Debian system: the browser/window tests need {', '.join(wanted)} (or equivalents)")
        return
    missing = [p for p in wanted if not dpkg_installed(p)]
    if not missing:
        step(f"system packages: all {len(wanted)} installed")
        return
    if not is_root() or not shutil.which("apt-get"):
        fail(
            "these Debian packages are needed by the tests and are not installed:\n    "
            + " ".join(missing)
            + "\n  install them as root:\n    sudo apt-get install --no-install-recommends "
            + " ".join(missing)
        )
    apt_install(missing)


# --- the commands ------------------------------------------------------------------------


def cmd_run(args: list[str]) -> int:
    py = ensure_env()
    compile_catalogs(py)
    koordi = venv_bin("koordi")
    step(f"starting koordi {' '.join(args)}".rstrip())
    try:
        return subprocess.call([str(koordi), *args], cwd=ROOT)
    except KeyboardInterrupt:
        return 130


def cmd_test(args: list[str]) -> int:
    py = ensure_env()
    ensure_uv()  # the Windows lock check's test resolves with uv (tests/test_lockcheck.py)
    ensure_system_packages()
    compile_catalogs(py)
    basetemp = memory_basetemp(args)
    if basetemp is not None:
        args = [f"--basetemp={basetemp}", *args]
    step(f"pytest {' '.join(args)}".rstrip())
    code = subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT)
    if basetemp is not None and code == 0:
        shutil.rmtree(basetemp, ignore_errors=True)  # it is memory; a failed run's stays to be looked at
    if code == 5:
        step("pytest collected no tests: that counts as a failure")
        return 1
    return code


def memory_basetemp(args: list[str]) -> Path | None:
    """The tests' temporary folders on Linux's /dev/shm (a tmpfs) unless told otherwise.

    The tests make thousands of real SQLite databases, and every commit of Koordi's WAL waits for
    its fsync: on a memory file system that returns at once, the rest is the same code on a real
    file system (the full-disk tests mount their own small tmpfs inside it). About a sixth off the
    write-heavy tests. Elsewhere (Windows, macOS, no /dev/shm) pytest's own temporary folder."""
    shm = Path("/dev/shm")
    if WINDOWS or any(a.startswith("--basetemp") for a in args) or not shm.is_dir() or not os.access(shm, os.W_OK):
        return None
    if shutil.disk_usage(shm).free < 4 * 1024**3:  # the bundle build and the bench-scale tests need room
        return None
    return shm / f"koordi-tests-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}"


def cmd_bundle(args: list[str]) -> int:
    py = ensure_env()
    return subprocess.call([str(py), str(BUILD / "build_bundle.py"), *args], cwd=ROOT)


def ensure_uv() -> Path:
    """A .venv with uv in it (the packages of the locks are not needed); returns its python."""
    with setup_lock():
        if not venv_works():
            create_venv()
    py = venv_python()
    if not has_uv(py):
        fail(f"pip could not install {UV_VERSION} into .venv")
    return py


def has_uv(py: Path) -> bool:
    """uv in .venv, installed by pip when it is missing; False when pip could not get it."""
    if subprocess.run([str(py), "-m", "uv", "--version"], capture_output=True).returncode == 0:
        return True
    step("installing uv into .venv")
    return subprocess.call([str(py), "-m", "pip", "install", "--quiet", UV_VERSION], env={**os.environ, **QUIET_PIP}) == 0


def pins(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if "==" in line and not line.startswith(("#", " "))}


def windows_lock_problems(py: Path, lock: Path = RUNTIME_LOCK, pyproject: Path = PYPROJECT) -> list[str]:
    """What a Windows install from the runtime lock would lack or pin differently: pyproject's
    dependencies resolved for Windows (within the lock's versions) against the lock's own pins
    whose markers hold on Windows. uv resolves for another platform (--python-platform), so a
    Windows-only break (a package, or a wheel, missing there) shows up on Linux."""
    with tempfile.TemporaryDirectory(prefix="koordi-lockcheck-") as tmp:
        outputs = {}
        for name, inputs in (("resolved", [pyproject, "-c", lock]), ("locked", [lock, "--no-deps"])):
            out = Path(tmp) / f"{name}.txt"
            result = subprocess.run(
                [
                    str(py),
                    "-m",
                    "uv",
                    "pip",
                    "compile",
                    "--quiet",
                    "--no-header",
                    "--no-annotate",
                    "--python-platform",
                    "x86_64-pc-windows-msvc",
                    "--python-version",
                    "3.11",
                    *map(str, inputs),
                    "-o",
                    str(out),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, **QUIET_PIP},
            )
            if result.returncode != 0:
                return [f"{name} for Windows: " + (result.stderr.strip() or f"uv exited {result.returncode}")]
            outputs[name] = pins(out.read_text(encoding="utf-8"))
    missing = sorted(outputs["resolved"] - outputs["locked"])
    extra = sorted(outputs["locked"] - outputs["resolved"])
    return [f"Windows needs {pin}, which the lock does not pin for Windows" for pin in missing] + [
        f"the lock pins {pin} for Windows, which the resolution does not need" for pin in extra
    ]


def cmd_lockcheck(args: list[str]) -> int:
    py = ensure_uv()
    started = time.monotonic()
    problems = windows_lock_problems(py)
    if problems:
        for problem in problems:
            print(f"dev: lockcheck: {problem}", file=sys.stderr)
        fail(f"{RUNTIME_LOCK.relative_to(ROOT).as_posix()} does not resolve for Windows: run `python3 build/dev.py lock`")
    step(f"lockcheck: {RUNTIME_LOCK.relative_to(ROOT).as_posix()} resolves for Windows ({time.monotonic() - started:.1f} s)")
    return 0


def cmd_lock(args: list[str]) -> int:
    # The locks may be what is broken: a venv is enough, the packages are not needed.
    py = ensure_uv()
    common = [
        py,
        "-m",
        "uv",
        "pip",
        "compile",
        "--quiet",
        "--universal",
        "--generate-hashes",
        "--python-version",
        "3.11",
        "--custom-compile-command",
        "python3 build/dev.py lock",
        *args,
    ]
    inputs = lock_inputs_hash()
    for out, extra, what in (
        (RUNTIME_LOCK, [PYPROJECT], "runtime"),
        (DEV_LOCK, [PYPROJECT, BUILD_REQS, "--extra", "qt", "--extra", "dev"], "runtime + qt + dev + build"),
    ):
        step(f"locking {out.relative_to(ROOT).as_posix()} ({what})")
        run([*common, *extra, "-o", out])
        text = out.read_text(encoding="utf-8")
        text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(INPUTS_MARK))
        out.write_text(INPUTS_MARK + inputs + "\n" + text, encoding="utf-8")
    step("done: commit both lock files")
    return 0


def cmd_extract(args: list[str]) -> int:
    py = ensure_env()
    pot = TRANSLATIONS / "messages.pot"
    babel = [py, "-m", "babel.messages.frontend", "--quiet"]
    version = subprocess.run(
        [str(py), "-c", "from app.version import __version__; print(__version__)"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    step(f"extracting messages to {pot.relative_to(ROOT).as_posix()}")
    keywords = []
    # ngettext:1,2 - singular and plural: a bare "ngettext" would extract the singular only,
    # and gettext would then answer every plural count in English.
    for kw in ("_", "_l", "gettext", "lazy_gettext", "ngettext:1,2"):
        keywords += ["-k", kw]
    # From the repo root, so the .pot names files as app/...; babel.cfg picks app's files only.
    run(
        [
            *babel,
            "extract",
            "-F",
            BABEL_CFG,
            *keywords,
            "--no-wrap",
            "--ignore-dirs=.* _* build dist tests bench docs",
            "--add-comments=TRANSLATORS:",
            "--sort-by-file",
            "--project=Koordi",
            f"--version={version}",
            "-o",
            pot,
            ".",
            *args,
        ]
    )
    for lang in LANGUAGES:
        step(f"updating the {lang} catalog")
        run([*babel, "update", "--init-missing", "--no-wrap", "-i", pot, "-d", TRANSLATIONS, "-l", lang])
    compile_catalogs(py)
    return 0


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "bundle": cmd_bundle,
    "lock": cmd_lock,
    "lockcheck": cmd_lockcheck,
    "extract": cmd_extract,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help", "help") else 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
