-- Published reasons name documents by their path under raw/, never by a folder of the host.
select 'dim_document' as relation, doc_id, read_error as text
from {{ ref('dim_document') }}
where regexp_matches(read_error, '(^|[\s"''(=])/([^\s:"''/]+/)+')
union all
select 'review_queue', doc_id, reason
from {{ ref('review_queue') }}
where regexp_matches(reason, '(^|[\s"''(=])/([^\s:"''/]+/)+')
