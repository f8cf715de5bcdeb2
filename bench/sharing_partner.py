"""The partner's side of bench/sharing.bench.ts, in the connector's own venv (test/sharing/setup-python.sh).

  sharing_partner.py load <profile> <share.schema.table> <files.json> <runs>
      load_as_pandas through the server vs pyarrow reading the same version's Parquet files from disk,
      alternating which goes first; prints {"rows", "connector": [s…], "direct": [s…], "alike": [s…]} (alike: from disk,
      converted to pandas as the connector converts)
  sharing_partner.py list <profile> <share> <runs>
      time to the first page of the share's list-all-tables and to its last page; prints {"tables", "first": [s…], "all": [s…]}
"""
import json
import sys
import time

import delta_sharing
import pandas as pd
import pyarrow.parquet as pq
from delta_sharing.protocol import DeltaSharingProfile, Share
from delta_sharing.rest_client import DataSharingRestClient


def seconds(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def load(profile, table, files_json, runs):
    files = json.load(open(files_json))
    connector, direct, alike, rows = [], [], [], 0
    for run in range(int(runs)):
        through_server = lambda: delta_sharing.load_as_pandas(f"{profile}#{table}")
        from_disk = lambda: pq.read_table(files).to_pandas(date_as_object=True)
        # The connector's own conversion: file by file, one thread, then one concat.
        convert = dict(date_as_object=True, use_threads=False, split_blocks=False, self_destruct=True)
        from_disk_alike = lambda: pd.concat([pq.read_table(f).to_pandas(**convert) for f in files], ignore_index=True, copy=False)
        order = [(connector, through_server), (direct, from_disk), (alike, from_disk_alike)]
        for times, work in order if run % 2 == 0 else reversed(order):
            elapsed, frame = seconds(work)
            times.append(elapsed)
            rows = len(frame)
    return {"rows": rows, "connector": connector, "direct": direct, "alike": alike}


def listing(profile, share, runs):
    first, whole, tables = [], [], 0
    for _ in range(int(runs)):
        rest = DataSharingRestClient(DeltaSharingProfile.read_from_file(profile))
        started = time.perf_counter()
        page = rest.list_all_tables(Share(share))
        first.append(time.perf_counter() - started)
        listed = list(page.tables)
        while page.next_page_token:
            page = rest.list_all_tables(Share(share), page_token=page.next_page_token)
            listed.extend(page.tables)
        whole.append(time.perf_counter() - started)
        tables = len(listed)
    return {"tables": tables, "first": first, "all": whole}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    print(json.dumps(load(*args) if command == "load" else listing(*args)))
