{#- Text bound for publication with host paths taken out: the document's own raw/ folder is cut
    from its path (raw/sub/a.pdf → sub/a.pdf, the doc_id), and any other absolute path keeps only
    its last part, so no folder of the machine that built the warehouse is published. -#}
{% macro relative_to_raw(text, path, doc_id) -%}
    regexp_replace(
        replace({{ text }},
            coalesce(case when suffix({{ path }}, {{ doc_id }})
                then nullif(left({{ path }}, length({{ path }}) - length({{ doc_id }})), '') end, chr(0)),
            ''),
        '(^|[\s"''(=])/([^\s:"''/]+/)+', '\1', 'g')
{%- endmacro %}
