{#- The Japanese eras (元号) and the first Western year of each: the table the extraction reads
    era years with (orchestration.extract.normalize: ERAS, ERA_LETTERS), written out here as SQL
    (a Python model cost a second and a half of every build). tests/unit/dbt/test_published_docs.py
    checks that the two agree, so 和暦 labels and parsing share one table. -#}

with eras as (
    select * from (
        values
            ('明治', 'M', 1868),
            ('大正', 'T', 1912),
            ('昭和', 'S', 1926),
            ('平成', 'H', 1989),
            ('令和', 'R', 2019)
    ) as eras (era_name, era_letter, first_year)
),

final as (
    select
        cast(era_name as varchar) as era_name,
        cast(era_letter as varchar) as era_letter,
        cast(first_year as bigint) as first_year
    from eras
)

select * from final
