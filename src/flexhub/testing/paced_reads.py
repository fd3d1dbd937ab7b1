"""A child process for the shared rate-limit test: reads a sandbox store's stock as fast as the channel's bucket
lets it, and prints what it did as one JSON line, the last it prints.

python -m flexhub.testing.paced_reads DATABASE_URL CHANNEL_ID PLATFORM CREDENTIALS REFS READS shared|process
"""

import json
import sys
import time
import uuid

import httpx2

from flexhub.channels.adapter import ListingRef
from flexhub.channels.registry import adapter_for
from flexhub.db.engine import build_engine
from flexhub.integrations.ratelimit import TokenBucket
from flexhub.sync.pacing import channel_bucket, paced
from flexhub.sync.stock_read import read_stock


def main(database_url: str, channel_id: str, platform: str, credentials: str, refs: str, reads: str,
         mode: str) -> None:
    engine = build_engine(database_url, pool_size=2)
    adapter = adapter_for(platform)
    # "process": the bucket each process kept in its own memory before, for the comparison.
    bucket = (channel_bucket(engine, uuid.UUID(channel_id), adapter) if mode == "shared"
              else TokenBucket(paced(adapter.rate_limit)))
    listed = [ListingRef(*ref) for ref in json.loads(refs)]
    per_read = len(adapter.stock_read_requests(json.loads(credentials), listed))
    calls = limited = 0
    started = time.time()  # wall clock: the test compares the spans of two processes
    with httpx2.Client(timeout=10) as client:
        for _ in range(int(reads)):
            reading = read_stock(client, adapter, json.loads(credentials), listed, bucket)
            calls += per_read
            limited += reading.rate_limited
    print(json.dumps({"calls": calls, "rate_limited": limited, "started": started, "ended": time.time(),
                      "takes": getattr(bucket, "takes", None)}))
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
