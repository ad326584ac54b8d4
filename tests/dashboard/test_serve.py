"""`sosei dashboard` starts Streamlit on this host only, with nothing sent out."""

from orchestration.cli import main
from orchestration.dashboard import serve


def _options(argv: list[str]) -> dict[str, str]:
    flags = argv[argv.index("run") + 2 :]
    return dict(zip(flags[::2], flags[1::2], strict=True))


def test_the_dashboard_binds_to_localhost_and_sends_no_usage_statistics() -> None:
    options = _options(serve.command())
    assert options["--server.address"] == "127.0.0.1"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.headless"] == "true"


def test_sosei_dashboard_serves_the_warehouse_it_is_given(tmp_path, monkeypatch) -> None:
    started = {}

    def fake_call(argv, env):
        started.update(argv=argv, env=env)
        return 0

    monkeypatch.setattr(serve.subprocess, "call", fake_call)
    assert main(["dashboard", "--warehouse", str(tmp_path / "wh"), "--port", "9999"]) == 0
    assert _options(started["argv"])["--server.port"] == "9999"
    assert started["env"]["SOSEI_WAREHOUSE_DIR"] == str(tmp_path / "wh")
