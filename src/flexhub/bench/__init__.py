"""`flexhub bench`: order intake under load on a scratch database, and pgbench for the machine's scale."""
