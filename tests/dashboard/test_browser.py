"""The dashboard served by `sosei dashboard`'s command, loaded page by page in headless Chromium.

Screenshots go to tests/dashboard/artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from dashboard_shared import ARTIFACTS, HOSTILE, RATES_FROM_RESULTS, published_rows

from orchestration.dashboard import serve, texts, ui
from orchestration.land.corrections import read_corrections

pytestmark = pytest.mark.integration
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (apt-packages.txt; `make install` as root)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (a dev dependency) is not installed")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# An exception, an error box, or a dialog (Streamlit's "Page not found" is one; the app opens none).
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
CHART = '[data-testid="stVegaLiteChart"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the dashboard exited while starting"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def server(hostile) -> Iterator[str]:
    """The dashboard over the sample release in which one KPI, its project and its document carry
    markup in their names (conftest.hostile); everything else is the sample's."""
    port = _free_port()
    process = subprocess.Popen(
        serve.command(serve.DEFAULT_ADDRESS, port),
        env=serve.environment(hostile[0]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{serve.DEFAULT_ADDRESS}:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800", "--lang=ja"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _load(browser, url: str, name: str, ready: str, text: str | None = None) -> None:
    """Open `url`, wait until `ready` (a CSS selector) shows, optionally holding `text`; keep a screenshot."""
    browser.get(url)

    def shown(driver) -> bool:
        found = driver.find_elements(By.CSS_SELECTOR, ready)
        return bool(found) and (text is None or any(text in e.text for e in found))

    try:
        WebDriverWait(browser, 60).until(shown)
        time.sleep(1.5)  # let the charts draw before the screenshot
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ERRORS)]
    assert errors == [], errors


def _drawn_charts(browser) -> list:
    return browser.find_elements(By.CSS_SELECTOR, f"{CHART} canvas, {CHART} svg")


def test_overview_shows_the_rates_recomputed_from_fct_kpi_result_and_a_chart(server, browser, sample_settings):
    projects_met, projects_judged, kpis_met, kpis_judged = published_rows(sample_settings, RATES_FROM_RESULTS)[0]
    _load(browser, f"{server}/", "overview", f"{CHART} canvas, {CHART} svg")

    values = [e.text for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')]
    assert values == [ui.percent(projects_met / projects_judged), ui.percent(kpis_met / kpis_judged)]
    assert f"{kpis_met} / {kpis_judged} 指標" in browser.find_element(By.TAG_NAME, "body").text
    assert _drawn_charts(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAppDeployButton"]'), "developer menu shown"


def test_issuer_page_opened_by_url_draws_the_series_chart_of_the_kpi_in_it(server, browser, sample_settings):
    name, prefecture, code, project, kpi = published_rows(
        sample_settings,
        """
        select any_value(issuer_name), any_value(prefecture), issuer_code, any_value(project_name), any_value(kpi_name)
        from marts.kpi_result_detail group by issuer_code, kpi_id
        having count(distinct fiscal_year) filter (where actual is not null) >= 2
        order by issuer_code, kpi_id limit 1""",
    )[0]
    url = f"{server}/issuer?issuer={quote(ui.issuer_label(name, prefecture, code))}&kpi={quote(f'{project} ／ {kpi}')}"
    _load(browser, url, "issuer", CHART)

    assert f"{kpi} の推移" in _body(browser)
    assert _drawn_charts(browser)
    _no_none(browser)


def test_provenance_page_shows_the_printed_fragment(server, browser, sample_settings):
    observation_id, fragment = published_rows(
        sample_settings,
        """
        select o.observation_id, o.fragment from marts.kpi_result_detail d
        join marts.fct_kpi_observation o on o.observation_id = d.actual_observation_id
        where d.actual_unit_printed <> d.base_unit order by o.observation_id limit 1""",
    )[0]
    _load(browser, f"{server}/{ui.provenance_url(observation_id)}", "provenance", '[data-testid="stCode"]')

    assert browser.find_element(By.CSS_SELECTOR, '[data-testid="stCode"]').text.strip() == fragment.strip()


@pytest.mark.parametrize(("page", "heading"), [("review", "要確認: "), ("gate", "公開版のゲート: 合格")])
def test_review_and_gate_pages_load_without_errors(server, browser, page, heading):
    _load(browser, f"{server}/{page}", page, '[data-testid="stDataFrame"]')
    assert heading in _body(browser)
    _no_none(browser)
    _no_english(browser)


def test_a_link_in_a_table_opens_the_provenance_page(server, browser, sample_settings):
    (observation_id,) = published_rows(
        sample_settings,
        "select actual_observation_id from marts.kpi_result_detail where actual_observation_id is not null limit 1",
    )[0]
    assert ui.provenance_url(observation_id) == f"provenance?observation={quote(observation_id)}"


def test_the_error_check_sees_an_unknown_page(server, browser):
    with pytest.raises(AssertionError, match="Page not found"):
        _load(browser, f"{server}/no-such-page", "unknown-page", '[role="dialog"]')


def _body(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


# English words a Japanese page may show: the language switch's choice, the names of file formats.
ENGLISH_ALLOWED = {"English", "Parquet", "DuckDB"}


def _no_english(browser) -> None:
    """No English word in the page or its menu (Streamlit's screen-reader skip link aside) but those allowed."""
    shown = " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMain"], section'))
    words = set(re.findall(r"\b[A-Za-z]{4,}\b", shown)) - ENGLISH_ALLOWED
    assert not words, words


def _no_none(browser) -> None:
    words = set(_body(browser).split())
    assert not words & {"None", "nan", "NaN", "<NA>"}, "a missing value printed as None"
    assert not [w for w in ("Choose", "No options", "Page not found") if w in _body(browser)], "Streamlit's English"


@pytest.mark.parametrize(
    ("path", "name", "shown"),
    [
        ("overview?axis=都道府県&slice=岩手県", "overview-url", "岩手県：判定の基になったKPI"),
        ("search?q=移住", "search-url", "「移住」を含むKPI"),
        ("review?text=txt", "review-url", "要確認"),
        ("mart?table=kpi_result_detail&prefecture=岩手県", "mart-url", "kpi_result_detail: "),
        ("map?prefecture=岩手県", "map-url", "岩手県の団体"),
    ],
)
def test_each_page_opens_from_its_own_url_with_its_choices_applied(server, browser, path, name, shown):
    _load(browser, f"{server}/{path}", name, "h2, h3", shown)
    _no_none(browser)
    _no_english(browser)
    if path.startswith("overview"):
        assert "都道府県別" in _body(browser)  # the axis chosen in the URL
    if path.startswith("map"):
        assert _drawn_charts(browser), "the map is drawn"


def test_a_search_for_iju_lists_the_kpis_that_contain_it(server, browser, sample_settings):
    (expected,) = published_rows(
        sample_settings,
        "select count(distinct kpi_id) from marts.kpi_result_detail "
        "where kpi_name like '%移住%' or project_name like '%移住%'",
    )[0]
    _load(browser, f"{server}/search?q={quote('移住')}", "search", "h3", f"「移住」を含むKPI: {expected}件")


def test_markup_in_data_and_in_the_url_is_shown_as_text_and_fetches_nothing(server, browser, hostile):
    settings, kpi_id = hostile
    row = published_rows(
        settings,
        f"select issuer_name, prefecture, issuer_code, project_name, kpi_name, actual_observation_id "
        f"from marts.kpi_result_detail where kpi_id = '{kpi_id}' and actual_observation_id is not null limit 1",
    )[0]
    pages = {
        "hostile-issuer": f"issuer?issuer={quote(ui.issuer_label(*row[:3]))}&kpi={quote(f'{row[3]} ／ {row[4]}')}",
        "hostile-provenance": ui.provenance_url(row[5]),
        "hostile-url": f"provenance?observation={quote(HOSTILE)}",
    }
    for name, path in pages.items():
        _load(browser, f"{server}/{path}", name, "h2, h3, [data-testid='stAlertContainer']", None)
        time.sleep(1)
        assert HOSTILE in _body(browser).replace(texts.JOINER, ""), name  # shown, as the characters it is made of
        markup = browser.find_elements(By.CSS_SELECTOR, "img[src*='127.0.0.1:9'], a[href*='127.0.0.1:9'], .katex")
        markup += [e for e in browser.find_elements(By.CSS_SELECTOR, "strong, b, em") if "太字" in e.text]
        assert [e.get_attribute("outerHTML")[:80] for e in markup] == [], name
        fetched = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes(':9/'))"
        )
        assert fetched == [], name


def test_the_english_switch_in_the_url_shows_the_page_in_english(server, browser):
    url = f"{server}/map?lang=English&prefecture={quote('岩手県')}"
    _load(browser, url, "map-english", "h1", "Headline rates by prefecture (map)")
    body = _body(browser)
    assert "Governments in 岩手県" in body and "日本語" in body, "the list, and the switch back to Japanese"
    assert "都道府県別の達成率" not in body
    assert _drawn_charts(browser), "the map is drawn"
    _no_none(browser)


def test_a_click_on_a_prefecture_of_the_map_lists_its_governments_and_keeps_it_in_the_url(
    server, browser, sample_settings
):
    ((prefecture,),) = published_rows(
        sample_settings,
        "select i.prefecture from marts.fct_kpi_result r join marts.dim_issuer i using (issuer_code) "
        "where r.target_met is not null group by all order by min(i.prefecture_code) limit 1",
    )
    _load(browser, f"{server}/map", "map-click", f"{CHART} svg .mark-rect path")
    tiles = {
        label.split("都道府県: ")[1].split(";")[0]: tile
        for tile in browser.find_elements(By.CSS_SELECTOR, f"{CHART} svg .mark-rect path")
        if "都道府県: " in (label := tile.get_attribute("aria-label") or "")
    }
    assert len(tiles) == 47, "a square per prefecture"

    ActionChains(browser).move_to_element(tiles[prefecture]).click().perform()

    WebDriverWait(browser, 60).until(lambda b: f"{prefecture}の団体" in _body(b))
    assert quote(prefecture) in browser.current_url
    _no_none(browser)


def test_the_provenance_form_filled_in_and_sent_appends_a_line_to_corrections_csv(server, browser, hostile):
    settings, _ = hostile
    observation_id, value, doc_id = published_rows(
        settings,
        "select observation_id, value, doc_id from marts.fct_kpi_observation"
        " where origin = 'extracted' and value is not null order by observation_id limit 1",
    )[0]
    _load(browser, f"{server}/{ui.provenance_url(observation_id)}", "correction-form", '[data-testid="stForm"]')
    form = browser.find_element(By.CSS_SELECTOR, '[data-testid="stForm"]')
    fields = {
        texts.t("correction.value"): str(int(value) + 1),
        texts.t("correction.author"): "ブラウザ 花子",
        texts.t("correction.reason"): "桁の誤読",
    }
    for label, typed in fields.items():
        form.find_element(By.CSS_SELECTOR, f'input[aria-label="{label}"], textarea[aria-label="{label}"]').send_keys(
            typed
        )
    form.find_element(By.CSS_SELECTOR, '[data-testid="stFormSubmitButton"] button').click()
    WebDriverWait(browser, 60).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentSuccess"]')
    )
    browser.save_screenshot(str(ARTIFACTS / "correction-form-sent.png"))
    (line,) = read_corrections(settings.corrections_path)
    assert (line["file"], line["action"], line["value"], line["author"], line["reason"]) == (
        doc_id,
        "set_value",  # the form's first action
        str(int(value) + 1),
        "ブラウザ 花子",
        "桁の誤読",
    )


def test_the_english_switch_keeps_the_choices_of_the_page(server, browser):
    _load(browser, f"{server}/overview?axis={quote('都道府県')}&slice={quote('岩手県')}", "switch-ja", "h3", "岩手県：")
    next(b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.text == "English").click()

    WebDriverWait(browser, 60).until(lambda b: "岩手県: the KPI results counted" in _body(b))
    assert "By Prefecture" in _body(browser) and "lang=English" in browser.current_url
    assert "axis=Prefecture" in browser.current_url
