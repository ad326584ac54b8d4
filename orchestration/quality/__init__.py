"""The quality gate: Great Expectations suites that decide whether a candidate warehouse is
published.

- `catalog`: the suites, the relation each checks and the SQL of its frame (no GX import; use
  it to declare one blocking asset check per suite: `SUITES[name].model`, `.also_reads`).
- `suites`: the expectations in code; `python -m orchestration.quality.suites --write|--check`
  keeps the committed copies in `expectations/` equal to them.
- `gate`: `run_gate(db_path, out_dir) -> GateResult` and
  `validate_suite(db_path, name, out_dir) -> SuiteOutcome` (`.passed`, `.metadata`).
"""
