with source as (
    select * from {{ source('raw', 'review_items') }}
),

renamed as (
    select
        cast(review_id as varchar) as review_item_id,
        cast(doc_id as varchar) as doc_id,
        cast(seq as integer) as seq,
        cast(reason as varchar) as reason,
        cast(fragment as varchar) as fragment,
        cast(page as integer) as page,
        cast(line as integer) as line,
        nullif(cast(cell as varchar), '') as cell,
        cast(reader as varchar) as reader
    from source
)

select * from renamed
