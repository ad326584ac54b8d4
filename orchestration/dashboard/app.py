"""The dashboard's entry point (`streamlit run app.py`): one page per file under pages/."""

import streamlit as st

st.set_page_config(page_title="地方創生交付金 KPI ダッシュボード", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="達成率", url_path="overview", default=True),
    st.Page("views/issuer.py", title="団体別", url_path="issuer"),
    st.Page("views/provenance.py", title="出典", url_path="provenance"),
    st.Page("views/review.py", title="要確認・隔離", url_path="review"),
    st.Page("views/gate.py", title="品質ゲート", url_path="gate"),
]

st.navigation(PAGES).run()
