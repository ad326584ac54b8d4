{#- The Japanese label of every mart column (`meta: {label_ja: …}` in its yml), with its English
    description, as the table main.column_labels, written at the end of every run: publication
    copies it beside the marts and adds each label to its column's comment; workbook headers and
    the dashboard (in either language) read it. -#}
{% macro column_labels() -%}
  {%- if execute -%}
    {%- set rows = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
      {%- for column in node.columns.values() if column.meta.label_ja -%}
        {%- set values = [node.name, column.name, column.meta.label_ja, column.description] -%}
        {%- do rows.append("('" ~ values | map('replace', "'", "''") | join("', '") ~ "')") -%}
      {%- endfor -%}
    {%- endfor -%}
    create or replace table main.column_labels
        (table_name varchar, column_name varchar, label_ja varchar, description varchar);
    insert into main.column_labels values {{ rows | join(", ") }};
  {%- endif -%}
{%- endmacro %}
