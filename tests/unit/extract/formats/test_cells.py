from orchestration.extract.formats.cells import html_to_text, join_wrapped


def test_paragraphs_and_list_items_become_lines():
    raw = (
        '<ul style="list-style-type: none"> <li>・助成した。</li> <li>・情報発信。</li> </ul> <p>①委託 11,020 千円</p>'
    )
    assert html_to_text(raw) == "・助成した。\n・情報発信。\n①委託 11,020 千円"


def test_breaks_entities_and_inline_tags():
    assert html_to_text("目標&nbsp;100人<br>実績 <b>143</b>&amp;人<br/>") == "目標 100人\n実績 143&人"
    assert html_to_text("<div>a</div><div>  </div><div>b</div>") == "a\nb"


def test_plain_text_is_only_stripped():
    assert html_to_text("  A&amp;B <R4年度末時点> 5<10  ") == "A&amp;B <R4年度末時点> 5<10"


def test_unknown_tag_names_are_text_even_beside_markup():
    assert html_to_text("<p><KPI> 50%</p>") == "<KPI> 50%"


def test_join_wrapped_keeps_real_breaks():
    assert join_wrapped(["事業開", "始前"], [True]) == "事業開始前"
    assert join_wrapped(["quick brown", "fox"], [True]) == "quick brown fox"
    assert join_wrapped(["・目標 5", "・実績 6"], [False]) == "・目標 5\n・実績 6"
    assert join_wrapped([], []) == ""
