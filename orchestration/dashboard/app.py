"""The dashboard's entry point (`streamlit run app.py`): one page per file under views/.

Every page opens from its own URL with its choices in the query string (each widget is bound to
`st.query_params` by its key), so a copied URL reopens the same view. The default page is served
at `/` and, hidden from the menu, at its own `/overview` too.
"""

import streamlit as st

st.set_page_config(page_title="地方創生交付金 KPI ダッシュボード", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="達成率", url_path="home", default=True),
    st.Page("views/overview.py", title="達成率", url_path="overview", visibility="hidden"),
    st.Page("views/map.py", title="地図", url_path="map"),
    st.Page("views/search.py", title="検索", url_path="search"),
    st.Page("views/issuer.py", title="団体別", url_path="issuer"),
    st.Page("views/provenance.py", title="出典", url_path="provenance"),
    st.Page("views/review.py", title="要確認・隔離", url_path="review"),
    st.Page("views/mart.py", title="データ一覧", url_path="mart"),
    st.Page("views/gate.py", title="品質ゲート", url_path="gate"),
]

st.navigation(PAGES).run()
