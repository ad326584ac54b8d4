{#- Keys for matching names printed in different reports.

    The extractor already NFKC-normalises what it lands (extraction contract); these keys make
    matching robust to what NFKC would still fold (full-width ASCII and the ideographic space,
    in case a source skipped it), to spacing and to letter case. DuckDB has no NFKC function,
    hence the explicit width fold. -#}

{% macro width_fold(expr) -%}
    translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')
{%- endmacro %}

{#- Width-folded, lower-cased, all whitespace removed; brackets 【】〔〕［］ read as (). -#}
{% macro name_key(expr) -%}
    lower(regexp_replace(
        translate({{ width_fold(expr) }}, '【】〔〕[]', '()()()'),
        '\s+', '', 'g'))
{%- endmacro %}

{#- The trailing bracket that names the department in charge, e.g. (スポーツ推進課) or
    【農林水産部】. Only a bracket ending in an organisational suffix counts, so a qualifier such
    as (施設整備) stays part of the project's name. -#}
{% macro department_pattern() -%}
    '\s*[(（【〔\[]\s*([^()（）【】〔〕\[\]]*(課|部|局|室|係|班|所|センター|本部|グループ|チーム|事務所|支所))\s*[)）】〕\]]\s*$'
{%- endmacro %}

{% macro strip_department(expr) -%}
    trim(regexp_replace({{ expr }}, {{ department_pattern() }}, ''))
{%- endmacro %}

{% macro extract_department(expr) -%}
    nullif(trim(regexp_extract({{ expr }}, {{ department_pattern() }}, 1)), '')
{%- endmacro %}

{#- The key a project is linked by across reports: its name without the department, as a name key. -#}
{% macro project_key(expr) -%}
    {{ name_key(strip_department(expr)) }}
{%- endmacro %}

{# The Japanese fiscal year (April–March) that today falls in; the gate uses the same rule. #}
{% macro current_fiscal_year() -%}
    (year(current_date) - case when month(current_date) < 4 then 1 else 0 end)
{%- endmacro %}

{# A list of strings from dbt_project.yml as a SQL list: ('a', 'b'). #}
{% macro sosei_in_list(values) -%}
    ({% for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
