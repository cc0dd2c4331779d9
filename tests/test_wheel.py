"""The wheel is self-contained: resources and migrations ship in it, and the CLI runs from it.

The wheel is built from a copy of the source tree (so no build/ or egg-info
litter lands in the checkout) and installed with ``--no-deps`` into a fresh
virtual environment outside the repository. Its dependencies come from the
environment running the tests, appended to the new environment's ``sys.path``
by a ``.pth`` line: the new site-packages comes first, so ``vcio_desk`` is
imported from the wheel, and PySide6 (650 MB) is not downloaded again. A plain
path line in a ``.pth`` file does not run the ``.pth`` files of that folder,
so the editable install of the checkout stays inactive; the test checks where
every package was imported from.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from vcio_desk.store.migrate import SCHEMA_HEAD

REPO = Path(__file__).resolve().parents[1]

REQUIRED_IN_WHEEL = [
    "vcio_desk/__main__.py",
    "vcio_desk/resources/templates/standards_library.json",
    "vcio_desk/resources/templates/meeting_types.json",
    "vcio_desk/resources/templates/tier_rhythms.json",
    "vcio_desk/resources/fonts/DejaVuSans.ttf",
    "vcio_desk/migrations/env.py",
    "vcio_desk/migrations/script.py.mako",
    "vcio_desk/migrations/versions/0001_initial_schema.py",
]

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "dist",
            "tests",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
            "*.sqlite3*",
        ),
    )
    out = work / "dist"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)], work, env)
    wheels = list(out.glob("vcio_desk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_resources_and_migrations(built_wheel: Path) -> None:
    with zipfile.ZipFile(built_wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        entry_points = wheel.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        )
    missing = [name for name in REQUIRED_IN_WHEEL if name not in names]
    assert missing == []
    assert any(n.startswith("vcio_desk/resources/icons/") and n.endswith(".svg") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "db/", "resources/"))]
    assert "vcio-desk = vcio_desk.__main__:main" in entry_points.decode()
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    requires = [
        Requirement(line.split(":", 1)[1])
        for line in metadata.decode().splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert sorted(map(str, requires)) == sorted(str(Requirement(dep)) for dep in declared)


def test_installed_wheel_runs_outside_the_repository(
    built_wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("wheel-venv")
    assert REPO not in outside.parents
    venv = outside / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VCIO_DESK_DB")}
    home = outside / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(built_wheel),
        ],
        outside,
        env,
    )
    # Dependencies from the environment running the tests, after the venv's own packages.
    venv_site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            outside,
            env,
        ).stdout.strip()
    )
    dep_dirs = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        *site.getsitepackages(),
    }
    (venv_site / "zz_test_dependencies.pth").write_text(
        "".join(f"{d}\n" for d in sorted(dep_dirs) if Path(d).is_dir())
    )

    where = run(
        [
            str(python),
            "-c",
            "import importlib.resources as r, vcio_desk, vcio_desk.migrations as m\n"
            "print(vcio_desk.__file__)\n"
            "print(m.__file__)\n"
            "print(r.files('vcio_desk.resources').joinpath('fonts', 'DejaVuSans.ttf'))\n"
            "print(vcio_desk.__version__)\n",
        ],
        outside,
        env,
    ).stdout.splitlines()
    for line in where[:3]:
        assert Path(line).is_relative_to(venv_site), line
        assert not Path(line).is_relative_to(REPO), line
    assert where[3] == "0.1.0"

    cli = str(venv / "bin" / "vcio-desk")
    version = run([cli, "--version"], outside, env)
    assert version.stdout.strip() == "vcio-desk 0.1.0"

    workspace = outside / "data" / "ws.sqlite3"
    fresh = run([cli, "--db", str(workspace), "info"], outside, env)
    assert fresh.stdout.strip() == f"workspace: {workspace} (not created yet)"

    # Open it (migrations from the wheel run in-process), then ask what it holds.
    run(
        [
            str(python),
            "-c",
            "import sys\n"
            "from vcio_desk.services.seed import ensure_base_content\n"
            "from vcio_desk.store import open_store\n"
            "with open_store(sys.argv[1]) as store:\n"
            "    ensure_base_content(store)\n",
            str(workspace),
        ],
        outside,
        env,
    )
    info = run([cli, "--db", str(workspace), "info"], outside, env).stdout
    assert f"schema:    {SCHEMA_HEAD}" in info
    assert re.search(r"^  standards\s+84$", info, re.MULTILINE), info

    demo_target = outside / "demo" / "ws.sqlite3"
    demo = run(
        [cli, "--db", str(demo_target), "demo", "--clients", "3", "--years", "1"], outside, env
    )
    assert demo.stdout.startswith(f"Demo workspace ready at {demo_target}: 3 clients")
    info = run([cli, "--db", str(demo_target), "info"], outside, env).stdout
    assert re.search(r"^  clients\s+3$", info, re.MULTILINE), info
    assert "kind:      demo" in info

    # The command line never loads Qt.
    no_qt = run(
        [
            str(python),
            "-c",
            "import sys\n"
            "from vcio_desk.__main__ import main\n"
            "code = main(['--db', sys.argv[1], 'info'])\n"
            "assert code == 0, code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))\n",
            str(demo_target),
        ],
        outside,
        env,
    )
    assert no_qt.stdout.splitlines()[-1] == "[]"
