"""The dashboard's entry point (`streamlit run app.py`): one page per file under views/.

Every page opens from its own URL with its choices in the query string (each widget is bound to
`st.query_params` by its key), so a copied URL reopens the same view. The default page is served
at `/` and, hidden from the menu, at its own `/overview` too.
"""

import streamlit as st

from orchestration.dashboard import texts, ui

# The language switch, on every page, kept in the URL (`?lang=en`; Japanese when absent).
languages = texts.catalogue()["languages"]
st.sidebar.segmented_control(
    ui.t("app.language"),
    list(languages),
    format_func=languages.get,
    default="ja",
    key="lang",
    bind="query-params",
    label_visibility="collapsed",
)
st.set_page_config(page_title=ui.t("app.page_title"), layout="wide")
PAGES = [
    st.Page("views/overview.py", title=ui.t("pages.overview"), url_path="home", default=True),
    st.Page("views/overview.py", title=ui.t("pages.overview"), url_path="overview", visibility="hidden"),
    *(st.Page(f"views/{page}.py", title=ui.t(f"pages.{page}"), url_path=page) for page in ui.PAGES),
]

st.navigation(PAGES).run()
