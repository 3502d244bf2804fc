"""Two hosts on one PostgreSQL (issue 11 point 4): one service, whichever host answers.

Two ``datenspiegel serve`` processes with *separate data directories*, as two hosts have them:
host A made by ``datenspiegel init`` against a throw-away PostgreSQL schema (register and broker
state), host B set up from it as docs/operations.md ("Several hosts") tells the operator — the
configuration and the PKI directory copied (TLS and broker keys, trust anchors and CRLs, the
protocol key), nothing else. Then, over TLS:

- a message answered by A and sent again to B is not executed again (the original answer,
  recorded as a duplicate; other content under its UUID: 0910 S100);
- a user blocked through the command line of one host is refused by both with the next request
  (DOMAIN.md § 7; no cache: the access registry is read for every request);
- a user's quota is one quota over both hosts (§ 39 Abs. 1 BMG; 0910 T070 beyond it, on
  either);
- an Identifikationsmerkmal handed out by A resolves on B, for its authority only (§ 39 Abs. 2
  BMG, BMeldDAV § 9);
- requests alternating between the hosts make one protocol (§ 40 BMG): ``datenspiegel protocol
  verify`` passes from either data directory, one record per request, log indices without a
  gap;
- a host whose protocol key is missing or another refuses to start, naming the file to copy.

Host B reads the register through a read-only connection (``default_transaction_read_only``),
as it would from a PostgreSQL streaming replica: every search and Merkmal lookup of B's goes
through it, and ``serve`` needs no write there.

Below the end-to-end tests, the store-level fixes that make two hosts safe, each on its own:
the protocol-key check, the checkpoint signed once per size, the sequencer's lock per schema.
"""

from __future__ import annotations

import json
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree
from sqlalchemy import column, create_engine, select, table

from datenspiegel.access.store import AccessStore
from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.protocol import ProtocolStore
from datenspiegel.protocol._schema import checkpoints, records
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.payloads import PayloadStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.shared_key import key_problem, keyed
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.client import DatenabrufClient, Reply
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.service.errors import ConfigError
from datenspiegel.signing import (
    certificate_fingerprint,
    create_development_pki,
    load_pem_certificates,
)
from datenspiegel.transformers import Behoerde
from tests.conftest import pg_schema
from tests.serving import (
    UNIQUE,
    Server,
    Serving,
    ask_unique,
    demo_authority,
    session,
    signed_unique_envelope,
    start_serve,
)
from tests.test_protocol_record import full_record

pytestmark = pytest.mark.postgres

#: requests per minute of each user, on both hosts together (the quota test's user sends more)
QUOTA = 30
#: the files host B gets from host A (docs/operations.md, "Several hosts")
COPIED = (CONFIG_NAME, "pki")
ORDNUNGSAMT = ("dbs:ordnungsamt-hannover", "OA-32.4-0815")
TREFFERLISTE = next(case for case in TEST_CASES if case.status == "02")
_COUNTERS = table("window_counter", column("key"), column("window_start"), column("count"))


@dataclass
class Hosts:
    a: Server
    b: Serving
    #: host B's data directory (host A's is ``a.data_dir``)
    b_dir: Path
    url: str

    @property
    def endpoints(self) -> tuple[str, str]:
        return self.a.endpoint, self.b.endpoint

    def client(self, user: str, host: int) -> DatenabrufClient:
        return self.a.client(user, endpoint=self.endpoints[host])


def set_up_second_host(first: Path, second: Path) -> None:
    """What the operator copies from host A to host B: the configuration (the same database
    URLs) and the PKI directory (TLS certificate and key, the broker's signing key and
    certificate, trust anchors and CRLs, the protocol key). Nothing else is shared by files."""
    second.mkdir(parents=True)
    for name in COPIED:
        source = first / name
        if source.is_dir():
            shutil.copytree(source, second / name)
        else:
            shutil.copy2(source, second / name)


def read_only(url: str) -> str:
    """``url`` with every transaction read-only: what a streaming replica (hot standby) allows
    (docs/operations.md: the register of a host may be read from one)."""
    assert "options=" in url  # a pg_schema URL: its libpq options are extended
    return f"{url}%20-cdefault_transaction_read_only%3Don"


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    with pg_schema() as url:
        root = tmp_path_factory.mktemp("hosts")
        first, second = root / "host-a", root / "host-b"
        initialise(first, persons=50, register_url=url, broker_url=url, progress=False, env={})
        set_up_second_host(first, second)
        env = {
            "DATENSPIEGEL_BROKER_QUOTA_USER_PER_MINUTE": str(QUOTA),
            "DATENSPIEGEL_BROKER_QUOTA_AUTHORITY_PER_MINUTE": "0",
            # the evaluator is elected among both hosts' workers within a second or two
            "DATENSPIEGEL_ANOMALIES_INTERVAL": "1",
            "DATENSPIEGEL_ANOMALIES_SETTLE": "1",
            "DATENSPIEGEL_ANOMALIES_LEASE": "5",
        }
        # host B searches the register through a read-only connection, as on a hot standby
        replica = {"DATENSPIEGEL_STORES_REGISTER_URL": read_only(url)}
        with ThreadPoolExecutor(2) as starting:  # both start at once, as two hosts would
            started = [
                starting.submit(start_serve, first, env=env, log_name="host-a"),
                starting.submit(start_serve, second, env={**env, **replica}, log_name="host-b"),
            ]
        if any(future.exception() for future in started):
            for future in started:
                if future.exception() is None:
                    future.result().stop()
            next(f for f in started if f.exception()).result()  # fails with the server's log
        a, b = (future.result() for future in started)
        try:
            yield Hosts(Server.of(first, a), b, second, url)
        finally:
            statuses = [serving.stop(timeout=30) for serving in (a, b)]
            assert statuses == [0, 0]


def _post(hosts: Hosts, endpoint: str, body: bytes) -> tuple[int, bytes]:
    response = session(hosts.a.ca_file).post(
        endpoint, data=body, headers={"Content-Type": "text/xml"}, timeout=20
    )
    return response.status_code, response.content


def _outcomes(hosts: Hosts, message_id: str) -> list[str]:
    """The outcomes of the records of one message (read, as every read, with the read log)."""
    data_dir = hosts.a.data_dir
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    try:
        found = stores.protocol.records(reader="tests", purpose=ReadPurpose.BETRIEB)
        return sorted(r.outcome.value for r in found if r.request_message_id == message_id)
    finally:
        stores.close()


def test_a_message_answered_on_one_host_is_not_executed_again_on_the_other(
    hosts: Hosts,
) -> None:
    message_id = str(uuid.uuid4())
    body = signed_unique_envelope(hosts.a, message_id=message_id, elemente=[1, 13])
    status, original = _post(hosts, hosts.endpoints[0], body)
    assert status == 200
    assert etree.fromstring(original).findtext(".//ergebnisstatus/code") == "01"
    # the same signed message at host B: the original answer, byte for byte, not a new search
    assert _post(hosts, hosts.endpoints[1], body) == (200, original)
    # the same nachrichtenUUID with other content at host B: refused, S100
    status, other = _post(
        hosts,
        hosts.endpoints[1],
        signed_unique_envelope(hosts.a, message_id=message_id, elemente=[1]),
    )
    assert status == 500
    assert etree.fromstring(other).findtext(".//grund/code") == "S100"
    assert _outcomes(hosts, message_id) == ["answered", "duplicate", "returned"]


def _codes(reply: Reply) -> str:
    return reply.codes[0] if reply.fault else f"status {reply.status}"


def test_a_block_through_one_host_is_in_force_on_both_with_the_next_request(
    hosts: Hosts, capsys: pytest.CaptureFixture[str]
) -> None:
    operator = ["--operator", "Betrieb Test"]
    second = ["--data-dir", str(hosts.b_dir)]
    first = ["--data-dir", str(hosts.a.data_dir)]
    assert [_codes(ask_unique(hosts.client("ordnungsamt", h))) for h in (0, 1)] == ["status 01"] * 2

    # blocked through host B's data directory (its configuration names the shared database)
    assert main(["user", "block", *ORDNUNGSAMT, "--grund", "Test", *second, *operator]) == 0
    assert [_codes(ask_unique(hosts.client("ordnungsamt", h))) for h in (0, 1)] == ["T070"] * 2

    # lifted through host A's: both answer again, at once
    assert main(["user", "unblock", *ORDNUNGSAMT, "--grund", "Test", *first, *operator]) == 0
    assert [_codes(ask_unique(hosts.client("ordnungsamt", h))) for h in (0, 1)] == ["status 01"] * 2
    capsys.readouterr()


def test_an_identifikationsmerkmal_from_one_host_resolves_on_the_other(hosts: Hosts) -> None:
    query = TREFFERLISTE.query
    leser = Behoerde(kennung=f"ags:{query.ags}", name="Gemeinde")

    def ask(user: str, host: int, **search: Any) -> Reply:
        autor, stelle = demo_authority(user)
        return hosts.client(user, host).personensuche(
            leser=leser,
            autor=autor,
            stelle=stelle,
            elemente=[1, 7],  # Familienname, Vornamen
            **search,  # type: ignore[arg-type]
        )

    hit_list = ask("ordnungsamt", 0, query=query)
    assert hit_list.status == "02"
    entries = hit_list.root.findall("ergebnis/trefferliste/treffer")
    assert len(entries) >= 2
    merkmal = entries[0].findtext("identifikationsmerkmal")
    assert merkmal
    # host B resolves what host A handed out, to the very person of that entry
    person = ask("ordnungsamt", 1, identifikationsmerkmal=merkmal)
    assert person.status == "01"
    assert person.root.findtext("ergebnis/person/vorname") == entries[0].findtext("vorname")
    # bound to the authority it was handed to, on every host (BMeldDAV § 9)
    other = ask("polizei", 1, identifikationsmerkmal=merkmal)
    assert other.codes == ["01"] and not other.fault


def _counted_this_minute(hosts: Hosts, user: str) -> int:
    """What the user's quota counted so far in the current minute (both hosts together)."""
    certificate = load_pem_certificates(Path(hosts.a.user(user)["certificate"]))[0]
    access = AccessStore(hosts.url)
    try:
        principal = access.principal_for_certificate(certificate_fingerprint(certificate))
        assert principal is not None
        window = int(time.time()) // 60 * 60
        with access.engine.connect() as conn:  # store/windows.py: one row per key and minute
            found = conn.execute(
                select(_COUNTERS.c.count).where(
                    _COUNTERS.c.key == f"user:{principal.user.id}",
                    _COUNTERS.c.window_start == window,
                )
            ).scalar()
    finally:
        access.close()
    return int(found or 0)


def test_one_quota_over_both_hosts(hosts: Hosts) -> None:
    """The demo police user sends alternately to A and B: one quota counts them together.
    Quotas count per calendar minute; a run that a minute's end cuts is run again."""
    autor, stelle = demo_authority("polizei")
    for _attempt in range(2):
        minute = int(time.time()) // 60
        left = QUOTA - _counted_this_minute(hosts, "polizei")  # another test may have asked
        outcomes = []
        for i in range(left + 2):
            reply = hosts.client("polizei", i % 2).personensuche(
                leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
                autor=autor,
                stelle=stelle,  # type: ignore[arg-type]
                elemente=[1],
                query=UNIQUE.query,
            )
            outcomes.append(_codes(reply))
            if reply.fault:
                assert "quota exceeded" in reply.document.decode()
        counted = _counted_this_minute(hosts, "polizei")
        if int(time.time()) // 60 == minute:
            break
    else:
        pytest.fail("two minutes ended while the quota was being used up")
    # QUOTA answers over both hosts together; then refused on A and on B alike
    assert outcomes[:left] == ["status 01"] * left
    assert outcomes[left:] == ["T070", "T070"]
    assert counted == QUOTA + 2  # refused ones count too


def _verify(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    status = main(["protocol", "verify", "--data-dir", str(data_dir), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0, report
    assert isinstance(report, dict)
    return report


def test_requests_alternating_between_the_hosts_make_one_protocol(
    hosts: Hosts, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dirs = (hosts.a.data_dir, hosts.b_dir)
    before = _verify(data_dirs[0], capsys)["records"]
    sent = 12
    for i in range(sent):
        assert ask_unique(hosts.client("ordnungsamt", i % 2)).status == "01"
    # a checkpoint signed through host B's data directory, verified through A's and B's
    capsys.readouterr()
    assert main(["protocol", "checkpoint", "--data-dir", str(data_dirs[1])]) == 0
    for data_dir in data_dirs:
        report = _verify(data_dir, capsys)
        assert report["ok"] and report["findings"] == []
        assert report["records"] == before + sent
        assert report["logged"] == report["records"] == report["size"]
        assert report["pending"] == 0 and report["checkpoints"] >= 1
    # one log: every record has its place, log indices 0 … n-1 without a gap, and the
    # records' sequence numbers (drawn by both hosts from one database sequence) are unique
    engine = create_engine(hosts.url)
    try:
        with engine.connect() as conn:  # numbers only, no personal data
            rows = conn.execute(select(records.c.seq, records.c.log_index)).all()
    finally:
        engine.dispose()
    assert sorted(index for _seq, index in rows) == list(range(before + sent))
    seqs = sorted(seq for seq, _index in rows)
    assert len(set(seqs)) == len(seqs) == before + sent


def test_the_anomaly_evaluator_is_one_process_of_both_hosts(hosts: Hosts) -> None:
    from datenspiegel.protocol.anomalies.store import FindingStore

    pids = {hosts.a.serving.process.pid, hosts.b.process.pid}
    findings = FindingStore(hosts.url)
    try:
        deadline = time.monotonic() + 15
        holder = None
        while holder is None and time.monotonic() < deadline:
            holder = findings.state().holder
            time.sleep(0.2)
    finally:
        findings.close()
    assert holder is not None
    assert int(holder.split(":")[1]) in pids


def test_a_host_without_the_protocol_key_refuses_to_start(hosts: Hosts, tmp_path: Path) -> None:
    """What ``serve`` (and every command) opens first: the stores, with the protocol key."""
    third = tmp_path / "host-c"
    set_up_second_host(hosts.a.data_dir, third)
    key = third / "pki" / "protocol-tag.key"
    key.unlink()
    config = load_config(third / CONFIG_NAME)
    with pytest.raises(ConfigError, match="is missing, but the broker database holds records"):
        open_stores(config)
    assert not key.exists()  # no key of its own was made for a database in use

    # another key: refused as well, before anything is written with it
    key.write_bytes(secrets.token_bytes(32))
    with pytest.raises(ConfigError, match="is not the key of this broker database"):
        open_stores(config)


# -- the store-level fixes, each on its own -----------------------------------------------


def test_the_protocol_key_is_checked_against_the_records_and_the_kept_answers(
    database_url: str,
) -> None:
    key, other = secrets.token_bytes(32), secrets.token_bytes(32)
    store = ProtocolStore(database_url)
    store.migrate()
    try:
        assert not keyed(store.engine)  # a new database: any key may be the first
        assert key_problem(store.engine, other) is None
        store.record_key = key
        store.append(full_record())
        assert keyed(store.engine)
        assert key_problem(store.engine, key) is None
        problem = key_problem(store.engine, other)
        assert problem is not None and "another protocol key" in problem

        # the kept answers' period key alone tells as well (records may have been purged)
        with store.engine.begin() as conn:
            conn.execute(records.delete())
        assert key_problem(store.engine, other) is None
        with store.engine.begin() as conn:
            PayloadStore.keep_in(
                conn, protocol_key=key, record_id="r-1", answer=b"<a/>", at=datetime.now(UTC)
            )
        assert key_problem(store.engine, key) is None
        problem = key_problem(store.engine, other)
        assert problem is not None and "period" in problem
    finally:
        store.dispose()


def test_one_altered_record_does_not_make_the_right_key_look_wrong(database_url: str) -> None:
    key = secrets.token_bytes(32)
    store = ProtocolStore(database_url)
    store.migrate()
    store.record_key = key
    try:
        for _ in range(3):
            store.append(full_record())
        with store.engine.begin() as conn:
            newest = conn.execute(select(records.c.seq).order_by(records.c.seq.desc())).first()
            assert newest is not None
            conn.execute(records.update().where(records.c.seq == newest.seq).values(tag="0" * 64))
        assert key_problem(store.engine, key) is None
    finally:
        store.dispose()


def test_two_processes_signing_at_once_store_one_checkpoint(
    database_url: str, tmp_path: Path
) -> None:
    """Every worker of every host signs at its interval: the second, arriving while the first
    is between reading the head and storing its checkpoint, signs nothing (before, one of the
    two failed on the checkpoint's primary key)."""
    store = ProtocolStore(database_url)
    store.migrate()
    store.record_key = secrets.token_bytes(32)
    identity = create_development_pki(tmp_path / "pki", users=[]).broker_identity()
    outcome: dict[str, Any] = {}
    try:
        store.append(full_record())
        second = ProtocolLog(store.engine, record_key=store.record_key)

        def other_host() -> None:
            try:
                outcome["second"] = second.checkpoint(identity.private_key)
            except Exception as exc:  # what the test is about: none may fail
                outcome["second"] = exc

        def clock() -> datetime:
            # between reading the head and storing the checkpoint, the other process signs
            thread = threading.Thread(target=other_host)
            thread.start()
            thread.join(timeout=1.0)
            outcome["thread"] = thread
            return datetime.now(UTC)

        first = ProtocolLog(store.engine, record_key=store.record_key, clock=clock)
        note = first.checkpoint(identity.private_key)
        outcome["thread"].join(timeout=30)
        assert note is not None
        assert outcome["second"] is None
        with store.engine.connect() as conn:
            sizes = list(conn.execute(select(checkpoints.c.size)).scalars())
        assert sizes == [1]
        assert first.verify(identity.certificate.public_key()).ok
    finally:
        store.dispose()


def test_the_sequencer_lock_is_per_schema() -> None:
    """Two deployments (or test schemas) in one PostgreSQL database sequence independently;
    within one schema the lock still admits one sequencer at a time."""
    with pg_schema() as one, pg_schema() as two:
        stores = [ProtocolStore(url) for url in (one, two)]
        try:
            for store in stores:
                store.migrate()
                store.append(full_record())
            holder = ProtocolLog(stores[0].engine)
            with stores[0].engine.begin() as conn:
                assert holder._locked(conn)  # schema one's sequencer is busy
                assert ProtocolLog(stores[0].engine).sequence() == 0
                assert ProtocolLog(stores[1].engine).sequence() == 1
            assert ProtocolLog(stores[0].engine).sequence() == 1
        finally:
            for store in stores:
                store.dispose()


def test_appends_and_sequencing_from_two_processes_make_one_log(pg_url: str) -> None:
    """Two hosts' stores (each its own engine, as each process has) append records, run their
    sequencers and sign checkpoints at the same time: one log, every record in it once."""
    key, signing = secrets.token_bytes(32), ec.generate_private_key(ec.SECP256R1())
    hosts = [ProtocolStore(pg_url) for _ in range(2)]
    for store in hosts:
        store.migrate()
        store.record_key = key
    per_host, failures = 40, []

    def serve(store: ProtocolStore) -> None:
        log = ProtocolLog(store.engine, record_key=key)
        try:
            for i in range(per_host):
                store.append(full_record())
                if i % 5 == 0:
                    log.sequence_all()
                if i % 10 == 9:
                    log.checkpoint(signing)
        except Exception as exc:  # what the test is about: none may fail
            failures.append(exc)

    threads = [threading.Thread(target=serve, args=(store,)) for store in hosts]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        log = ProtocolLog(hosts[0].engine, record_key=key)
        log.checkpoint(signing)
        report = log.verify(signing.public_key())
        assert report.ok, report.findings
        assert report.records == report.logged == report.size == 2 * per_host
        assert report.checkpoints >= 2
        with hosts[0].engine.connect() as conn:
            indices = sorted(conn.execute(select(records.c.log_index)).scalars())
        assert indices == list(range(2 * per_host))
    finally:
        for store in hosts:
            store.dispose()
