"""Runs Switchboard and its peers side by side on loopback and writes results.json plus charts.

Started by `src/bench/run`, which installs the tools and builds the jar first. Every server
runs on 127.0.0.1 in turn, under the same load from our own load generators (wrk for HTTP,
load/chat_load.js for WebSocket), each in its own process. Everything started here is stopped
on exit, whatever the exit.
"""
import argparse
import atexit
import base64
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import report

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
PROJECT_DIR = os.path.abspath(os.path.join(BENCH_DIR, "..", ".."))
PEERS = os.path.join(BENCH_DIR, "peers")
LOAD = os.path.join(BENCH_DIR, "load")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")
DB_POOL = 32  # Switchboard's default reactive pool size; the peers get the same
# The image build's jar (./mvnw package -Pimage), what the JVM image ships; --jar changes it
JAR = os.path.join(PROJECT_DIR, "target", "image", "quarkus-app", "quarkus-run.jar")
# The image build's native executable (./mvnw package -Pimage -Dnative), when there is one; --native changes it
NATIVE = next(iter(sorted(glob.glob(os.path.join(PROJECT_DIR, "target", "image", "*-runner")))), None)
# A JDK 25 for the AOT cache (JEP 483/514/515), the JVM image's runtime; --java25 changes it
JAVA25 = next((j for j in sorted(glob.glob("/usr/lib/jvm/*25*/bin/java")) if os.access(j, os.X_OK)), None)

QUICK = {
    "startup_trials": 2,
    "http_warmup_s": 10, "http_duration_s": 4,
    "db_concurrency": [8, 32, 128], "db_duration_s": 10,
    # warm-up rounds (http_warmup_s of load each) until the server, left alone, burns at most this much CPU
    "settle_max_rounds": 6, "settled_idle_cores": 0.05,
    "fanout_concurrency": [1, 16, 64, 512],
    "chat_fixed": {"clients": 1000, "rooms": 10, "senders-per-room": 2, "rate": 10},
    "chat_saturation": {"clients": 1000, "rooms": 10, "senders-per-room": 20, "rate": 15},
    "chat_warmup_s": 10, "chat_duration_s": 5, "chat_grace_s": 1,  # every server warms up alike: JITs settle
    "idle_clients": 10000, "idle_rooms": 1000, "idle_hold_s": 2,
    "replicas_load": {"clients": 1000, "rooms": 50, "senders-per-room": 4},
    "replicas_rates": [0.5, 1, 2, 4, 8, 16],  # messages/s per sender, one step each
    "replicas_warmup_rate": 1, "replicas_warmup_s": 8,  # an unmeasured run first: both JVMs start cold
    "replicas_p99_limit_ms": 250,  # above it a step is saturated (steps that keep up stay near 20-100 ms here)
}
LONG = {
    "startup_trials": 7,
    "http_warmup_s": 10, "http_duration_s": 15,
    "db_concurrency": [1, 8, 32, 64, 128, 256], "db_duration_s": 15,
    "settle_max_rounds": 8, "settled_idle_cores": 0.05,
    "fanout_concurrency": [1, 4, 16, 64, 128, 256, 512],
    "chat_fixed": {"clients": 1000, "rooms": 10, "senders-per-room": 2, "rate": 10},
    "chat_saturation": {"clients": 1000, "rooms": 10, "senders-per-room": 20, "rate": 15},
    "chat_warmup_s": 10, "chat_duration_s": 20, "chat_grace_s": 3,
    "idle_clients": 10000, "idle_rooms": 1000, "idle_hold_s": 10,
    "replicas_load": {"clients": 1000, "rooms": 50, "senders-per-room": 4},
    "replicas_rates": [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16],
    "replicas_warmup_rate": 1, "replicas_warmup_s": 20,
    "replicas_p99_limit_ms": 250,
}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- processes ------------------------------------------------------------------------------------

class Processes:
    """Every process this run starts, each in its own session so its whole group can be stopped."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = []

    def start(self, name, cmd, env=None, cwd=None):
        logfile = open(os.path.join(self.log_dir, f"{name}.log"), "ab")
        proc = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                start_new_session=True)
        proc.bench_name = name
        self.running.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, timeout_s=15):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=timeout_s)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self):
        for proc in reversed(list(self.running)):
            self.stop(proc)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return 200 <= r.status < 300
    except Exception:
        return False


def wait_until(check, timeout_s, proc=None, what="server", interval_s=0.05):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited early with code {proc.returncode}")
        if check():
            return
        time.sleep(interval_s)
    raise RuntimeError(f"{what} not ready after {timeout_s} s")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- /proc --------------------------------------------------------------------------------------

def proc_stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        fields = s[s.rindex(")") + 2:].split()
        return int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime
    except (OSError, ValueError):
        return None


def tree(root):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = proc_stat(int(d))
            if st:
                children.setdefault(st[0], []).append(int(d))
    out = [root]
    for pid in out:
        out.extend(children.get(pid, []))
    return out


def cpu_ticks(pids, trees):
    ticks = {}
    for pid in set(list(pids) + [p for root in trees for p in tree(root)]):
        st = proc_stat(pid)
        if st:
            ticks[pid] = st[1]
    return ticks


def cpu_seconds(before, after):
    return sum(after[p] - before.get(p, 0) for p in after) / CLK_TCK


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
        return int(m.group(1)) / 1024 if m else None
    except OSError:
        return None


# --- PostgreSQL -----------------------------------------------------------------------------------

class Postgres:
    """A throwaway cluster from the machine's own PostgreSQL binaries, trusting loopback."""

    def __init__(self, procs, options=()):
        self.options = list(options)
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                      key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise RuntimeError("no PostgreSQL server binaries found (apt-get install postgresql)")
        self.bin = os.path.dirname(bins[-1])
        self.procs = procs
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="switchboard-bench-pg-")
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.proc = None

    def run(self, *cmd, **kw):
        return subprocess.run(self.as_user + list(cmd), check=True, capture_output=True, text=True, **kw)

    def start(self):
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self.run(f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.proc = self.procs.start("postgres", self.as_user + [
            f"{self.bin}/postgres", "-D", data, "-p", str(self.port), "-k", self.dir,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400",
            "-c", "shared_buffers=256MB", "-c", "log_min_messages=warning"]
            + [a for opt in self.options for a in ("-c", opt)])
        wait_until(lambda: subprocess.run([f"{self.bin}/pg_isready", "-h", "127.0.0.1", "-p", str(self.port)],
                                          capture_output=True).returncode == 0, 60, self.proc, "PostgreSQL")
        with open(os.path.join(data, "postmaster.pid")) as f:
            self.postmaster = int(f.readline())
        self.version = self.psql("postgres", "SHOW server_version").strip()
        log(f"PostgreSQL {self.version} on port {self.port} (postmaster {self.postmaster})")

    def psql(self, db, sql):
        return subprocess.run([f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                               "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                              check=True, capture_output=True, text=True).stdout

    def url(self, db, scheme="postgresql"):
        return f"{scheme}://postgres:postgres@127.0.0.1:{self.port}/{db}"

    def stop(self):
        if self.proc is not None:
            try:
                os.kill(self.postmaster, signal.SIGINT)  # fast shutdown
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self.procs.stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- servers --------------------------------------------------------------------------------------

class Server:
    def __init__(self, key, label, cmd, ready_url, env=None, with_db=False):
        self.key, self.label, self.cmd, self.ready_url = key, label, cmd, ready_url
        self.env, self.with_db = env, with_db
        self.proc = None


_starts = iter(range(1, 1 << 30))


class Tokens:
    """The bench's own identity provider: an RSA key pair made with openssl, whose public key Switchboard is
    configured to trust (its external mode, as the image build needs one), and RS256 tokens signed with it."""

    ISSUER, AUDIENCE = "switchboard-bench", "switchboard"

    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.private_pem = os.path.join(directory, "private.pem")
        self.public_pem = os.path.join(directory, "public.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", self.private_pem], check=True, capture_output=True)
        os.chmod(self.private_pem, 0o600)
        subprocess.run(["openssl", "pkey", "-in", self.private_pem, "-pubout", "-out", self.public_pem],
                       check=True, capture_output=True)

    def jvm_options(self):
        return [f"-Dmp.jwt.verify.issuer={self.ISSUER}", f"-Dmp.jwt.verify.publickey.location={self.public_pem}",
                f"-Dmp.jwt.verify.audiences={self.AUDIENCE}"]

    def mint(self, groups=(), ttl_s=3600, **claims):
        now = int(time.time())
        payload = dict(iss=self.ISSUER, aud=self.AUDIENCE, sub="bench", iat=now, exp=now + ttl_s,
                       groups=list(groups), **claims)
        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        signing_input = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(payload).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.private_pem], input=signing_input.encode(),
                                   check=True, capture_output=True).stdout
        return signing_input + "." + b64(signature)


TOKENS = None  # made in main(), before the first start
ADMIN_ROLE = "switchboard-admin"


_management_ports = {}


def management_port(port):
    """The management interface (health, metrics) of the Switchboard serving HTTP on port: a port of its own."""
    if port not in _management_ports:
        _management_ports[port] = free_port()
    return _management_ports[port]


def health_url(port):
    return f"http://127.0.0.1:{management_port(port)}/q/health/ready"


def switchboard_cmd(port, pg, extra=(), jvm=(), java="java", native=None):
    """The jar on a JVM (java: its launcher), or the native executable when native names one: it takes
    the same -D options. SWITCHBOARD_BENCH_JAVA_OPTS and jvm go to the JVM only."""
    # "{n}" in the options becomes a number per start, e.g. for one flight recording per start
    n = str(next(_starts))
    java_opts = [o.replace("{n}", n) for o in os.environ.get("SWITCHBOARD_BENCH_JAVA_OPTS", "").split()]
    launcher = [native] if native else [java] + java_opts + list(jvm)
    return (launcher + [
        f"-Dquarkus.http.port={port}",
        "-Dquarkus.http.host=127.0.0.1",
        f"-Dquarkus.management.port={management_port(port)}",
        "-Dquarkus.management.host=127.0.0.1",
        f"-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:{pg.port}/switchboard",
        "-Dquarkus.datasource.username=postgres",
        "-Dquarkus.datasource.password=postgres",
        "-Dquarkus.log.level=WARN",
        # Every load client connects from 127.0.0.1: lift the chat's connection caps.
        "-Dswitchboard.chat.max-connections=1000000",
        "-Dswitchboard.chat.max-connections-per-address=1000000",
    ] + TOKENS.jvm_options() + list(extra) + ([] if native else ["-jar", JAR]))


def node_env(args):
    env = dict(os.environ)
    env["NODE_PATH"] = args.node_modules
    return env


def selected(args, servers):
    keys = [k for k in args.servers.split(",") if k]
    return [s for s in servers if not keys or s.key in keys]


def start_server(procs, server, timeout_s=90):
    server.proc = procs.start(server.key, server.cmd, env=server.env)
    wait_until(lambda: http_ok(server.ready_url), timeout_s, server.proc, server.label)
    return server.proc


def has_class(fragment):
    """Whether the built jar carries a capability (its package has classes)."""
    app_jar = os.path.join(os.path.dirname(JAR), "app")
    for jar in glob.glob(os.path.join(app_jar, "*.jar")):
        out = subprocess.run(["unzip", "-l", jar], capture_output=True, text=True).stdout
        if fragment in out:
            return True
    return False


# --- HTTP load (wrk) ------------------------------------------------------------------------------

def wrk(url_base, path_template, connections, duration_s, id_max=1, authorization=None):
    env = dict(os.environ, PATH_TEMPLATE=path_template, ID_MAX=str(id_max), AUTHORIZATION=authorization or "")
    threads = max(1, min(2, connections))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--timeout", "5s",
                          "-s", os.path.join(LOAD, "http.lua"), url_base],
                         capture_output=True, text=True, env=env, timeout=duration_s + 60)
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {out.stdout} {out.stderr}")
    r = json.loads(line[len("WRK_JSON "):])
    secs = r["durationUs"] / 1e6
    r["rps"] = (r["requests"] - r["non2xx"]) / secs
    r["errors"] = r["non2xx"] + r["connectErrors"] + r["readErrors"] + r["writeErrors"] + r["timeouts"]
    r["latencyMs"] = {k: v / 1000 for k, v in r.pop("latencyUs").items()}
    return r


def idle_cores(pids, trees, seconds=3):
    """CPU the server burns with no load at all, in cores (a warm server should be near zero)."""
    before, t0 = cpu_ticks(pids, trees), time.monotonic()
    time.sleep(seconds)
    return cpu_seconds(before, cpu_ticks(pids, trees)) / (time.monotonic() - t0)


def warm_until_settled(server, pids, trees, base, path_template, cfg, id_max=1, authorization=None):
    """Load at the highest concurrency, http_warmup_s per round, until the server left without load burns at most
    settled_idle_cores (its JIT compilers done: a flight recording showed C2 still busy 10 s after the start), or
    settle_max_rounds have passed. Returns the idle CPU after the last round, in cores, and the rounds taken."""
    for rounds in range(1, cfg["settle_max_rounds"] + 1):
        wrk(base, path_template, max(cfg["db_concurrency"]), cfg["http_warmup_s"], id_max, authorization)
        idle = idle_cores(pids, trees)
        if idle <= cfg["settled_idle_cores"]:
            break
    log(f"  {server.label:28s} {path_template}: idle after {rounds} warm-up round(s) of {cfg['http_warmup_s']} s: "
        f"{idle:.3f} cores busy (with PostgreSQL){'' if idle <= cfg['settled_idle_cores'] else ', NOT SETTLED'}")
    return idle, rounds


def measured_wrk(server, pids, trees, url_base, path_template, c, duration_s, id_max=1, authorization=None):
    before = cpu_ticks(pids, trees)
    r = wrk(url_base, path_template, c, duration_s, id_max, authorization)
    after = cpu_ticks(pids, trees)
    cpu = cpu_seconds(before, after)
    r["concurrency"] = c
    r["serverCpuSeconds"] = cpu
    own = cpu_seconds({p: before[p] for p in pids if p in before}, {p: after[p] for p in pids if p in after})
    r["serverCpuSecondsProcess"], r["serverCpuSecondsDatabase"] = own, cpu - own
    r["serverCpuMsPerRequest"] = cpu * 1000 / max(1, r["requests"])
    log(f"  {server.label:28s} {path_template:18s} c={c:<4d} {r['rps']:9.0f} req/s  p50 {r['latencyMs']['p50']:7.2f} ms  "
        f"p99 {r['latencyMs']['p99']:7.2f} ms  cpu {r['serverCpuMsPerRequest']:.3f} ms/req  errors {r['errors']}")
    return r


# --- workloads ------------------------------------------------------------------------------------

# The JVM options of src/main/docker/Dockerfile.jvm: its base image's launcher (run-java.sh) adds these
# by default, and the pod's memory limit (512Mi in deploy/kubernetes) sizes the heap; MaxRAM stands in
# for that limit outside a container.
IMAGE_JVM_OPTIONS = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10",
                     "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90",
                     "-XX:+ExitOnOutOfMemoryError"]


def java_version(java):
    return first_line([java, "-version"])


def train(procs, pg, name, java, option, output, requests):
    """One training start of the jar with option (which writes output at a clean exit): it serves
    requests, then stops on SIGTERM as in production. None, or why no output was written."""
    if os.path.exists(output):
        os.remove(output)
    port = free_port()
    proc = procs.start(name, switchboard_cmd(port, pg, jvm=[option], java=java))
    wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/api/products"), 90, proc, "Switchboard")
    for path in requests:
        http_ok(f"http://127.0.0.1:{port}{path}", 5)
    procs.stop(proc, timeout_s=300)  # written at exit; JDK 25 assembles its AOT cache in a child JVM then
    return None if os.path.exists(output) else f"no {os.path.basename(output)} after the training start"


def startup(args, cfg, procs, pg, results):
    """Spawn to first successful GET /api/products, and RSS two seconds later, on a running, migrated
    database. "jar" is `java -jar quarkus-run.jar` with no options on the machine's java, as the README
    runs it, and is what the JVM targets are held against; "image options" adds the JVM options the JVM
    image runs with; "AppCDS" adds a class-data archive made by one training start (to its first request)
    of the same jar. With a JDK 25 (--java25), the same jar on it plain, then with an AOT cache (JEP
    483/514/515) recorded by one training start that served a few requests, as the JVM image makes it.
    With a native executable (--native), that executable with the same options."""
    archive = os.path.join(args.out, "app-cds.jsa")
    failed = train(procs, pg, "switchboard-appcds-training", "java", f"-XX:ArchiveClassesAtExit={archive}", archive, [])
    # name, launcher, JVM options, native executable
    variants = [("jar", "java", [], None), ("jar, image options", "java", IMAGE_JVM_OPTIONS, None)]
    if not failed:
        variants.append(("jar+AppCDS", "java", [f"-XX:SharedArchiveFile={archive}"], None))
    out = {"command": f"java -jar {os.path.relpath(JAR, PROJECT_DIR)} (PostgreSQL already running, schema migrated)",
           "imageJvmOptions": " ".join(IMAGE_JVM_OPTIONS), "variants": {}, "notMeasured": {}}
    if args.java25:
        cache = os.path.join(args.out, "app.aot")
        training = ["/api/products", "/api/products", "/api/users/1", "/api/users/2", "/api/orders?limit=5"]
        log(f"  recording the AOT cache with one training start on {java_version(args.java25)}")
        failed = train(procs, pg, "switchboard-aot-training", args.java25, f"-XX:AOTCacheOutput={cache}", cache, training)
        variants.append(("jar, JDK 25", args.java25, [], None))
        if failed:
            out["notMeasured"]["jar, JDK 25 + AOT cache"] = failed
            log(f"  jar, JDK 25 + AOT cache: NOT MEASURED, {failed}")
        else:
            out["aotCacheMb"] = round(os.path.getsize(cache) / 1024 / 1024, 1)
            variants.append(("jar, JDK 25 + AOT cache", args.java25, [f"-XX:AOTCache={cache}"], None))
    else:
        out["notMeasured"]["jar, JDK 25 + AOT cache"] = "no JDK 25 found (--java25)"
        log("  jar, JDK 25 + AOT cache: SKIPPED, no JDK 25 found (--java25 PATH names its java)")
    if args.native:
        variants.append(("native", None, [], args.native))
    else:
        out["notMeasured"]["native"] = "no native executable (./mvnw package -Pimage -Dnative, or --native)"
        log("  native: SKIPPED, no native executable in target/image (build it with -Pimage -Dnative, or --native PATH)")
    for variant, java, jvm, native in variants:
        trials = []
        for i in range(cfg["startup_trials"]):
            port = free_port()
            name = "switchboard-startup-" + re.sub(r"[^a-z0-9+]+", "-", variant.lower()) + f"-{i}"
            cmd = switchboard_cmd(port, pg, ['-Dquarkus.log.category."io.quarkus".level=INFO'], jvm=jvm, java=java,
                                  native=native)
            t0 = time.monotonic()
            proc = procs.start(name, cmd)
            url = f"http://127.0.0.1:{port}/api/products"
            wait_until(lambda: http_ok(url, 0.5), 60, proc, "Switchboard", interval_s=0.01)
            first = time.monotonic() - t0
            time.sleep(2)
            rss = rss_mb(proc.pid)
            procs.stop(proc)
            with open(os.path.join(args.out, "logs", f"{name}.log"), errors="replace") as f:
                m = re.search(r"started in ([\d.]+)s", f.read())
            trials.append({"firstRequestSeconds": first, "idleRssMb": rss,
                           "quarkusReportedStartSeconds": float(m.group(1)) if m else None})
            log(f"  start-up {variant} trial {i + 1}: first request after {first:.3f} s "
                f"(Quarkus says started in {m.group(1) if m else '?'} s), idle RSS {rss:.0f} MB")
        out["variants"][variant] = {
            "runtime": os.path.basename(native) if native else java_version(java),
            "options": " ".join(jvm),
            "trials": trials,
            "medianFirstRequestSeconds": statistics.median(t["firstRequestSeconds"] for t in trials),
            "medianIdleRssMb": statistics.median(t["idleRssMb"] for t in trials)}
    out.update({k: out["variants"]["jar"][k] for k in ("trials", "medianFirstRequestSeconds", "medianIdleRssMb")})
    results["startup"] = out


def database(args, cfg, procs, pg, results):
    """GET /api/users/{id} on every server; Switchboard's needs a token (an admin's, so every id may be read),
    the peers check none. Switchboard also serves GET /api/products/{id}, the same kind of read without a
    token: the difference between the two is what verifying the token costs."""
    users = 10000
    out = {"users": users, "pool": DB_POOL, "servers": {}, "pgbench": {}, "pgbenchPrepared": {}}
    bearer = "Bearer " + TOKENS.mint(groups=[ADMIN_ROLE])
    sb_port, py_port, node_port = free_port(), free_port(), free_port()
    servers = [
        Server("switchboard", "Switchboard", switchboard_cmd(sb_port, pg),
               f"http://127.0.0.1:{sb_port}/api/products/1", with_db=True),  # public: readiness needs no token
        Server("aiohttp-asyncpg", "Python aiohttp + asyncpg",
               [PYTHON, os.path.join(PEERS, "users_aiohttp.py"), str(py_port), pg.url("switchboard"), str(DB_POOL)],
               f"http://127.0.0.1:{py_port}/api/users/1"),
        Server("fastify-postgres", "Node fastify + postgres",
               ["node", os.path.join(PEERS, "users_fastify.js"), str(node_port), pg.url("switchboard"), str(DB_POOL)],
               f"http://127.0.0.1:{node_port}/api/users/1", env=node_env(args)),
    ]
    for server in selected(args, servers):
        proc = start_server(procs, server)
        base = server.ready_url.rsplit("/api/", 1)[0]
        pids, trees = [proc.pid], [pg.postmaster]
        authorization = bearer if server.key == "switchboard" else None

        def measure(path_template, authorization):
            idle, rounds = warm_until_settled(server, pids, trees, base, path_template, cfg, users, authorization)
            # highest concurrency first: the JIT has longest to settle before the low-load figures
            runs = sorted((measured_wrk(server, pids, trees, base, path_template, c, cfg["db_duration_s"], users,
                                        authorization)
                           for c in sorted(cfg["db_concurrency"], reverse=True)), key=lambda r: r["concurrency"])
            for r in runs:
                r["idleCoresAfterWarmup"] = idle
            return runs, idle, rounds

        runs, idle, rounds = measure("/api/users/{id}", authorization)
        label = server.label + (", admin token" if authorization else "")
        out["servers"][server.key] = {"label": label, "runs": runs, "idleCoresBusyAfterWarmup": idle,
                                      "warmupRounds": rounds}
        if server.key == "switchboard":
            products, idle, rounds = measure("/api/products/{id}", None)
            out["switchboardProductsWithoutToken"] = {"label": "Switchboard GET /api/products/{id}, no token",
                                                      "runs": products, "idleCoresBusyAfterWarmup": idle,
                                                      "warmupRounds": rounds}
            for with_token, without in zip(runs, products):
                share = 1 - without["serverCpuMsPerRequest"] / max(1e-9, with_token["serverCpuMsPerRequest"])
                log(f"  token verification c={with_token['concurrency']:<4d} {share:6.1%} of a users request's CPU "
                    f"({with_token['serverCpuMsPerRequest']:.3f} vs {without['serverCpuMsPerRequest']:.3f} ms/req)")
        procs.stop(proc)
    for key, mode in (("pgbench", "simple"), ("pgbenchPrepared", "prepared")):
        for c in cfg["db_concurrency"]:
            conns = min(c, DB_POOL)
            same = next((v for v in out[key].values() if v["connections"] == conns), None)
            if same:  # pgbench never runs more connections than the pool: reuse that run
                out[key][str(c)] = dict(same, concurrency=c)
                continue
            before = cpu_ticks([], [pg.postmaster])
            res = subprocess.run([f"{pg.bin}/pgbench", "-S", "-n", "-M", mode, "-c", str(conns), "-j", str(min(2, conns)),
                                  "-T", str(cfg["db_duration_s"]), "-h", "127.0.0.1", "-p", str(pg.port),
                                  "-U", "postgres", "pgbench"], capture_output=True, text=True, check=True)
            cpu = cpu_seconds(before, cpu_ticks([], [pg.postmaster]))
            tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", res.stdout).group(1))
            lat = re.search(r"latency average = ([\d.]+) ms", res.stdout)
            out[key][str(c)] = {"concurrency": c, "connections": conns, "tps": tps,
                                "latencyAverageMs": float(lat.group(1)) if lat else None, "postgresCpuSeconds": cpu}
            log(f"  pgbench -S -M {mode:8s} -c {conns:<3d} (for c={c}) {tps:9.0f} tps")
    results["database"] = out


def with_upstream_cpu(pid, measure):
    """Runs one measurement and adds the upstream stubs' CPU during it, in cores: near 1.0 they are the limit."""
    before, t0 = cpu_ticks([pid], []), time.monotonic()
    r = measure()
    r["upstreamCores"] = cpu_seconds(before, cpu_ticks([pid], [])) / (time.monotonic() - t0)
    log(f"  {'':28s} upstream stubs used {r['upstreamCores']:.2f} cores")
    return r


def fanout(args, cfg, procs, pg, results):
    if not has_class("dev/switchboard/fanout/"):
        results["fanout"] = {"skipped": "the fan-out capability (/api/aggregate) is not in this build"}
        log("fan-out: SKIPPED, /api/aggregate is not in this build")
        return
    delay_ms = 20
    up_ports = [free_port() for _ in range(3)]
    upstreams = [f"http://127.0.0.1:{p}" for p in up_ports]
    up = procs.start("upstreams", ["node", os.path.join(PEERS, "upstream.js"), str(delay_ms)] + [str(p) for p in up_ports])
    wait_until(lambda: all(port_open(p) for p in up_ports), 20, up, "upstreams")
    sb_port, py_port, node_port = free_port(), free_port(), free_port()
    # every server may have 256 connections per upstream open at once (undici Pool, aiohttp limit, in-flight bound)
    sources = ["-Dswitchboard.fanout.max-in-flight=768"]
    for name, url in zip(("a", "b", "c"), upstreams):
        sources.append(f"-Dswitchboard.fanout.sources.{name}.url={url}/")
    servers = [
        Server("switchboard", "Switchboard", switchboard_cmd(sb_port, pg, sources),
               f"http://127.0.0.1:{sb_port}/api/aggregate"),
        Server("aiohttp-gather", "Python aiohttp + gather",
               [PYTHON, os.path.join(PEERS, "fanout_aiohttp.py"), str(py_port)] + [u + "/" for u in upstreams],
               f"http://127.0.0.1:{py_port}/api/aggregate"),
        Server("undici-promise-all", "Node undici + Promise.all",
               ["node", os.path.join(PEERS, "fanout_undici.js"), str(node_port)] + upstreams,
               f"http://127.0.0.1:{node_port}/api/aggregate", env=node_env(args)),
    ]
    out = {"upstreamDelayMs": delay_ms, "upstreams": 3, "servers": {},
           "ideal": {str(c): {"concurrency": c, "p50Ms": delay_ms, "rps": c * 1000 / delay_ms}
                     for c in cfg["fanout_concurrency"]}}
    for server in selected(args, servers):
        proc = start_server(procs, server)
        base = server.ready_url.rsplit("/api/", 1)[0]
        wrk(base, "/api/aggregate", max(cfg["fanout_concurrency"]), cfg["http_warmup_s"])
        idle = idle_cores([proc.pid], [])
        log(f"  {server.label:28s} idle after warm-up: {idle:.3f} cores busy")
        runs = sorted((with_upstream_cpu(up.pid, lambda c=c: measured_wrk(
                           server, [proc.pid], [], base, "/api/aggregate", c, cfg["http_duration_s"]))
                       for c in sorted(cfg["fanout_concurrency"], reverse=True)), key=lambda r: r["concurrency"])
        out["servers"][server.key] = {"label": server.label, "runs": runs, "idleCoresBusyAfterWarmup": idle}
        procs.stop(proc)
    procs.stop(up)
    results["fanout"] = out


def chat_load(args, kind, port, params, pids, trees, cfg, mode="broadcast", warmup_s=None):
    """One run of load/chat_load.js; port may be a list (replicas: each room's clients alternate over them)."""
    ports = ",".join(map(str, port)) if isinstance(port, (list, tuple)) else port
    cmd = ["node", os.path.join(LOAD, "chat_load.js"), f"--kind={kind}", f"--port={ports}", f"--mode={mode}",
           f"--cpu-pids={','.join(map(str, pids))}", f"--cpu-trees={','.join(map(str, trees))}",
           f"--warmup={warmup_s or cfg['chat_warmup_s']}", f"--duration={cfg['chat_duration_s']}",
           f"--grace={cfg['chat_grace_s']}", f"--hold={cfg['idle_hold_s']}"]
    cmd += [f"--{k}={v}" for k, v in params.items()]
    if kind == "switchboard":
        # One token per simulated user, signed by the bench's identity provider (the chat needs one on the upgrade).
        cmd += [f"--token-key={TOKENS.private_pem}", f"--token-issuer={TOKENS.ISSUER}", f"--token-audience={TOKENS.AUDIENCE}"]
    res = subprocess.run(cmd, capture_output=True, text=True, env=node_env(args), timeout=300)
    if res.returncode != 0:
        raise RuntimeError(f"chat load failed: {res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def chat(args, cfg, procs, pg, results, idle_only=False):
    """The broadcast loads (fixed, saturation) on each server, then its idle connections on a fresh
    start; idle_only (--only chat-idle) runs the idle connections alone."""
    if not has_class("dev/switchboard/chat/"):
        results["chat"] = {"skipped": "the chat capability (ws /chat/{room}) is not in this build"}
        log("chat: SKIPPED, /chat/{room} is not in this build")
        return

    def servers():
        sb, sbn, ws, sio, py = free_port(), free_port(), free_port(), free_port(), free_port()
        return [
            (Server("switchboard", "Switchboard", switchboard_cmd(sb, pg), health_url(sb),
                    with_db=True), "switchboard", sb),
        ] + ([
            (Server("switchboard-native", "Switchboard (native)", switchboard_cmd(sbn, pg, native=args.native),
                    health_url(sbn), with_db=True), "switchboard", sbn),
        ] if args.native else []) + [
            (Server("node-ws", "Node ws", ["node", os.path.join(PEERS, "chat_ws.js"), str(ws)],
                    f"http://127.0.0.1:{ws}/", env=node_env(args)), "ws", ws),
            (Server("socketio", "Socket.IO (rooms)", ["node", os.path.join(PEERS, "chat_socketio.js"), str(sio)],
                    f"http://127.0.0.1:{sio}/", env=node_env(args)), "socketio", sio),
            (Server("python-websockets", "Python websockets",
                    [PYTHON, os.path.join(PEERS, "chat_websockets.py"), str(py)], None), "ws", py),
        ]

    if not args.native:
        log("  Switchboard (native): SKIPPED, no native executable in target/image (-Pimage -Dnative, or --native PATH)")
    out = {"servers": {}} if idle_only else {"fixed": dict(cfg["chat_fixed"]), "saturation": dict(cfg["chat_saturation"]),
                                             "servers": {}}
    for server, kind, port in [s for s in servers() if s[0] in selected(args, [s[0]])]:
        entry = {"label": server.label}
        if not idle_only:
            if server.ready_url is None:  # the Python peer answers only WebSocket handshakes
                server.proc = procs.start(server.key, server.cmd)
                wait_until(lambda: port_open(port), 30, server.proc, server.label)
            else:
                start_server(procs, server)
            pids = [server.proc.pid]
            trees = [pg.postmaster] if server.with_db else []
            for load in ("fixed", "saturation"):
                r = chat_load(args, kind, port, cfg[f"chat_{load}"], pids, trees, cfg)
                entry[load] = r
                log(f"  {server.label:20s} {load:10s} {r['deliveriesPerSecond']:9.0f} deliveries/s "
                    f"(ratio {r['deliveryRatio'] or 0:.3f})  p50 {r['latencyMs']['p50'] or 0:8.2f} ms  "
                    f"p99 {r['latencyMs']['p99'] or 0:8.2f} ms  cpu {r['serverCpuMsPer1000Deliveries'] or 0:7.2f} ms/1000 "
                    f"(process {r['serverCpuSecondsProcess']:.2f} s + database {r['serverCpuSecondsDatabase']:.2f} s)  "
                    f"duplicates/reordered {r['duplicatesOrReordered']}  echoes {r['echoes']}  errors {r['errors']}")
            procs.stop(server.proc)
        # idle connections on a fresh server, so the memory figure is not the broadcast's leftovers
        if server.ready_url is None:
            server.proc = procs.start(server.key + "-idle", server.cmd)
            wait_until(lambda: port_open(port), 30, server.proc, server.label)
        else:
            server.key += "-idle"
            if kind == "switchboard":  # a fresh command line: "{n}" options get a new number
                server.cmd = switchboard_cmd(port, pg, native=args.native if "native" in server.key else None)
            start_server(procs, server)
        time.sleep(1)
        r = chat_load(args, kind, port, {"clients": cfg["idle_clients"], "rooms": cfg["idle_rooms"],
                                         "connect-parallel": 200}, [server.proc.pid], [], cfg, mode="idle")
        entry["idle"] = r
        log(f"  {server.label:20s} idle: {r['connected']} connected, {r['stillOpenAfterHold']} still open, "
            f"RSS {r['rssBeforeMb']:.0f} -> {r['rssAfterMb']:.0f} MB ({r['rssPer1000ConnectionsMb'] or 0:.1f} MB/1000), "
            f"settled after {r['settleSeconds']:.1f} s, then {r['serverCpuCoresBusyWhileIdle']:.3f} cores busy")
        procs.stop(server.proc)
        out["servers"][server.key.replace("-idle", "")] = entry
    results["chat"] = out


def replicas(args, cfg, procs, pg, results):
    """Two Switchboard replicas (two JVMs of the same jar) on one PostgreSQL. Each room's clients,
    and its senders, alternate between them, so every message reaches the other replica through the
    backplane (LISTEN/NOTIFY). The send rate rises in steps until they no longer keep up: delivered
    share below 99%, or p99 above a quarter second (messages queue), twice in a row at the same rate
    (once can be a collection pause or the JIT). Stops at that step."""
    if not has_class("dev/switchboard/chat/"):
        results["replicas"] = {"skipped": "the chat capability (ws /chat/{room}) is not in this build"}
        log("replicas: SKIPPED, /chat/{room} is not in this build")
        return
    ports = [free_port(), free_port()]
    servers = [Server(f"replica-{n}", f"Switchboard replica {n}", switchboard_cmd(port, pg),
                      health_url(port), with_db=True) for n, port in enumerate(ports, 1)]
    for server in servers:  # both start at once, then both must be ready
        server.proc = procs.start(server.key, server.cmd)
    for server in servers:
        wait_until(lambda: http_ok(server.ready_url), 120, server.proc, server.label)
    pids = [server.proc.pid for server in servers]
    load = cfg["replicas_load"]
    # both JVMs start cold: one unmeasured run first, so the lowest steps are not mostly JIT compiling
    log(f"  warm-up: {cfg['replicas_warmup_rate']} msg/s per sender for {cfg['replicas_warmup_s']} s, not measured")
    chat_load(args, "switchboard", ports, dict(load, rate=cfg["replicas_warmup_rate"]), pids, [], cfg,
              warmup_s=cfg["replicas_warmup_s"])
    # our own listener on the replicas' channel counts the notifications (PostgreSQL keeps no count)
    listen = {"listen-url": pg.url("switchboard"), "listen-channel": "switchboard_chat"}
    out = {"replicas": len(servers), "load": dict(load), "ratesPerSender": cfg["replicas_rates"],
           "saturatedWhen": f"delivered share < 99% or p99 > {cfg['replicas_p99_limit_ms']} ms, "
                            "twice in a row at the same rate", "steps": []}
    limit = cfg["replicas_p99_limit_ms"]
    for rate in cfg["replicas_rates"]:
        tries = []  # per try: why it looked saturated, or None
        for _ in range(2):
            # a sender's first message goes one interval after its start: warm up for two intervals at least
            r = chat_load(args, "switchboard", ports, dict(load, rate=rate, **listen), pids, [pg.postmaster], cfg,
                          warmup_s=max(cfg["chat_warmup_s"], 2 / rate))
            reasons = []
            if (r["deliveryRatio"] or 0) < 0.99:
                reasons.append(f"delivered {100 * (r['deliveryRatio'] or 0):.1f}%")
            if (r["latencyMs"]["p99"] or 0) > limit:
                reasons.append(f"p99 {r['latencyMs']['p99']:.0f} ms > {limit:.0f} ms")
            r["saturated"] = "; ".join(reasons) or None
            tries.append(r["saturated"])
            log(f"  {r['offeredMessagesPerSecond']:6.0f} msg/s offered: {r['deliveriesPerSecond']:8.0f} deliveries/s "
                f"(ratio {r['deliveryRatio'] or 0:.3f})  p50 {r['latencyMs']['p50'] or 0:7.2f} ms  "
                f"p99 {r['latencyMs']['p99'] or 0:8.2f} ms (sender on the other replica "
                f"{r['latencyOtherReplicaMs']['p99'] or 0:8.2f} ms)  {r['notificationsPerSecond']:6.0f} notifications/s  "
                f"cpu {r['serverCpuMsPer1000Deliveries'] or 0:6.2f} ms/1000 (replicas {r['serverCpuSecondsProcess']:.2f} s "
                f"+ database {r['serverCpuSecondsDatabase']:.2f} s)  duplicates/reordered {r['duplicatesOrReordered']}  "
                f"echoes {r['echoes']}  errors {r['errors']}" + (f"  SATURATED: {r['saturated']}" if r["saturated"] else ""))
            if not r["saturated"]:
                break
        r["tries"] = tries
        out["steps"].append(r)
        if r["saturated"]:
            break
    for server in servers:
        procs.stop(server.proc)
    results["replicas"] = out


# --- targets --------------------------------------------------------------------------------------

def run_at(runs, c):
    return next((r for r in runs if r["concurrency"] == c), None)


def targets(results):
    t = []

    def add(name, value, goal, met, detail):
        t.append({"target": name, "value": value, "goal": goal, "met": bool(met) if met is not None else None,
                  "detail": detail})

    chat = results.get("chat", {})
    sb = node = None
    if "servers" in chat and "switchboard" in chat["servers"]:
        sb, node = chat["servers"]["switchboard"], chat["servers"].get("node-ws")
    if sb and node and "fixed" in sb and "fixed" in node:
        a, b = sb["fixed"]["serverCpuMsPer1000Deliveries"], node["fixed"]["serverCpuMsPer1000Deliveries"]
        if a and b:
            add("chat CPU per delivery vs Node ws (fixed load)", a / b, "<= 1.0 (aim 0.67)", a <= b,
                f"{a:.1f} vs {b:.1f} ms CPU per 1000 deliveries (Switchboard includes its PostgreSQL)")
        a, b = sb["fixed"]["latencyMs"]["p99"], node["fixed"]["latencyMs"]["p99"]
        if a and b:
            add("chat p99 latency vs Node ws (fixed load)", a / b, "<= 1.5", a <= 1.5 * b, f"{a:.2f} vs {b:.2f} ms")
        a, b = sb["saturation"]["deliveriesPerSecond"], node["saturation"]["deliveriesPerSecond"]
        if a and b:
            add("chat deliveries/s vs Node ws (saturation)", a / b, ">= 1.0", a >= b, f"{a:.0f} vs {b:.0f} deliveries/s")
        a, b = sb["saturation"]["latencyMs"]["p99"], node["saturation"]["latencyMs"]["p99"]
        if a and b:
            add("chat p99 latency vs Node ws (saturation)", a / b, "<= 2.0", a <= 2 * b, f"{a:.0f} vs {b:.0f} ms")
    for key, what in (("switchboard", ""), ("switchboard-native", ", native")):
        if key not in chat.get("servers", {}):
            continue
        idle = chat["servers"][key]["idle"]
        per = idle["rssPer1000ConnectionsMb"]
        if per is not None:
            add(f"chat RSS growth per 1,000 idle connections{what}", per, "<= 10 MB", per <= 10,
                f"{idle['rssBeforeMb']:.0f} -> {idle['rssAfterMb']:.0f} MB for {idle['stillOpenAfterHold']} connections")
        add(f"chat 10,000 idle connections within 300 MB RSS{what}", idle["rssAfterMb"], "<= 300 MB",
            idle["rssAfterMb"] <= 300 and idle["stillOpenAfterHold"] >= 10000 and idle["clients"] >= 10000,
            f"{idle['stillOpenAfterHold']} of {idle['clients']} connections open, RSS {idle['rssAfterMb']:.0f} MB")
    fan = results.get("fanout", {})
    if "servers" in fan:
        s = fan["servers"]
        sb, py, node = (run_at(s[k]["runs"], 64) if k in s else None
                        for k in ("switchboard", "aiohttp-gather", "undici-promise-all"))
        if sb and node:
            ratio = sb["serverCpuMsPerRequest"] / node["serverCpuMsPerRequest"]
            add("fan-out CPU per aggregate vs Node undici + Promise.all at 64 clients", ratio, "<= 1.0 (aim 0.5)",
                ratio <= 1.0, f"{sb['serverCpuMsPerRequest']:.3f} vs {node['serverCpuMsPerRequest']:.3f} ms CPU per request")
        sb_hi, py_hi, node_hi = (run_at(s[k]["runs"], 512) if k in s else None
                                 for k in ("switchboard", "aiohttp-gather", "undici-promise-all"))
        if sb_hi and node_hi:
            add("fan-out req/s vs Node undici + Promise.all at 512 clients", sb_hi["rps"] / node_hi["rps"], ">= 1.5",
                sb_hi["rps"] / node_hi["rps"] >= 1.5, f"{sb_hi['rps']:.0f} vs {node_hi['rps']:.0f} req/s; "
                f"upstream stubs at {sb_hi['upstreamCores']:.2f} vs {node_hi['upstreamCores']:.2f} cores")
        if sb_hi and py_hi:
            add("fan-out req/s vs aiohttp + gather at 512 clients", sb_hi["rps"] / py_hi["rps"], ">= 4",
                sb_hi["rps"] / py_hi["rps"] >= 4, f"{sb_hi['rps']:.0f} vs {py_hi['rps']:.0f} req/s")
        low = run_at(s["switchboard"]["runs"], 1) if "switchboard" in s else None
        if low:
            d = fan["upstreamDelayMs"]
            add("fan-out p50 at low load vs slowest upstream", low["latencyMs"]["p50"] / d, "<= 1.10",
                low["latencyMs"]["p50"] <= 1.1 * d, f"p50 {low['latencyMs']['p50']:.2f} ms vs {d} ms delay, 1 client")
    db = results.get("database")
    if db and "switchboard" in db.get("servers", {}):
        sb = run_at(db["servers"]["switchboard"]["runs"], DB_POOL)
        pgb = db["pgbench"].get(str(DB_POOL))
        if sb and pgb:
            add(f"GET /api/users/{{id}} with a token vs pgbench -S at {DB_POOL} connections", sb["rps"] / pgb["tps"], ">= 0.7",
                sb["rps"] / pgb["tps"] >= 0.7, f"{sb['rps']:.0f} req/s vs {pgb['tps']:.0f} tps")
        public = run_at(db.get("switchboardProductsWithoutToken", {}).get("runs", []), DB_POOL)
        if sb and public:
            add(f"GET /api/users/{{id}} with a token vs GET /api/products/{{id}} without, at {DB_POOL} connections",
                sb["rps"] / public["rps"], ">= 0.9", sb["rps"] / public["rps"] >= 0.9,
                f"{sb['rps']:.0f} vs {public['rps']:.0f} req/s; CPU {sb['serverCpuMsPerRequest']:.3f} vs "
                f"{public['serverCpuMsPerRequest']:.3f} ms/request")
    st = results.get("startup")
    if st:
        v = st["medianFirstRequestSeconds"]
        add("start-up to first GET /api/products (JVM jar, database running)", v, "<= 1.0 s", v <= 1.0,
            f"median of {len(st['trials'])}: {v:.3f} s")
        rss = st["medianIdleRssMb"]
        add("idle RSS after start-up (JVM jar)", rss, "<= 150 MB", rss <= 150,
            f"median of {len(st['trials'])}, `java -jar` without options")
        aot = st.get("variants", {}).get("jar, JDK 25 + AOT cache")
        if aot:
            v = aot["medianFirstRequestSeconds"]
            add("start-up to first GET /api/products (jar on JDK 25 with its AOT cache)", v, "<= 1.0 s", v <= 1.0,
                f"median of {len(aot['trials'])}: {v:.3f} s; the plain jar in the same run: {st['medianFirstRequestSeconds']:.3f} s")
        native = st.get("variants", {}).get("native")
        if native:
            v, rss = native["medianFirstRequestSeconds"], native["medianIdleRssMb"]
            add("start-up to first GET /api/products (native)", v, "<= 0.15 s", v <= 0.15,
                f"median of {len(native['trials'])}: {v:.3f} s")
            add("RSS after start-up (native)", rss, "<= 80 MB", rss <= 80, f"median of {len(native['trials'])}")
    results["targets"] = t


# --- machine --------------------------------------------------------------------------------------

def first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except Exception:
        return None


def machine(args):
    mem = None
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    model = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    os_name = None
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            m = re.search(r'PRETTY_NAME="([^"]+)"', f.read())
            os_name = m.group(1) if m else None
    load = os.getloadavg()
    return {"cores": os.cpu_count(), "cpuModel": model, "memoryGb": mem, "os": os_name,
            "kernel": platform.release(), "loadAverageAtStart": [round(x, 2) for x in load],
            "java": first_line(["java", "-version"]), "node": first_line(["node", "--version"]),
            "python": first_line([PYTHON, "--version"]), "wrk": first_line(["wrk", "-v"])}


def main():
    global JAR, TOKENS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--long", action="store_true", help="longer runs and more concurrency levels")
    parser.add_argument("--only", default="startup,database,fanout,chat,replicas",
                        help="comma-separated workloads (startup, database, fanout, chat, chat-idle, replicas); "
                             "chat-idle is chat's idle connections alone")
    parser.add_argument("--jar", default=JAR, help="the Switchboard jar to run (default: this checkout's build)")
    parser.add_argument("--native", default=NATIVE,
                        help="the native executable to run beside the jar (default: target/image/*-runner if built)")
    parser.add_argument("--java25", default=JAVA25,
                        help="a JDK 25's java (or its home) for the jar with an AOT cache (default: /usr/lib/jvm/*25*)")
    parser.add_argument("--out", default=os.path.join(PROJECT_DIR, "target", "bench"))
    parser.add_argument("--postgres-option", action="append", default=[], metavar="NAME=VALUE",
                        help="extra PostgreSQL setting for experiments, e.g. synchronous_commit=off (repeatable)")
    parser.add_argument("--servers", default="",
                        help="comma-separated server keys to run (default all), e.g. switchboard,node-ws")
    parser.add_argument("--node-modules", required=True)
    args = parser.parse_args()
    JAR = os.path.abspath(args.jar)
    args.native = os.path.abspath(args.native) if args.native else None
    if args.java25 and os.path.isdir(args.java25):
        args.java25 = os.path.join(args.java25, "bin", "java")
    for what, path in (("--native", args.native), ("--java25", args.java25)):
        if path and not os.access(path, os.X_OK):
            parser.error(f"{what} {path} is not an executable")
    cfg = LONG if args.long else QUICK
    shutil.rmtree(os.path.join(args.out, "logs"), ignore_errors=True)
    os.makedirs(os.path.join(args.out, "logs"))
    procs = Processes(os.path.join(args.out, "logs"))
    pg = Postgres(procs, args.postgres_option)
    TOKENS = Tokens(os.path.join(args.out, "keys"))

    def cleanup(*_):
        pg.stop()  # fast shutdown first: it disconnects the servers' pools instead of waiting for them
        procs.stop_all()

    atexit.register(cleanup)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))

    started = time.monotonic()
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "mode": "long" if args.long else "quick", "machine": machine(args), "parameters": cfg,
               "postgresOptions": args.postgres_option,
               "switchboardJavaOptions": os.environ.get("SWITCHBOARD_BENCH_JAVA_OPTS", "")}
    results["machine"]["java25"] = java_version(args.java25) if args.java25 else None
    log(f"mode {results['mode']} on {results['machine']['cores']} cores, {results['machine']['memoryGb']} GB; jar {JAR}; "
        f"native {args.native or 'none'}; JDK 25 {args.java25 or 'none'}")
    pg.start()
    results["machine"]["postgres"] = pg.version
    pg.psql("postgres", "CREATE DATABASE switchboard")
    pg.psql("postgres", "CREATE DATABASE pgbench")
    subprocess.run([f"{pg.bin}/pgbench", "-i", "-q", "-s", "10", "-h", "127.0.0.1", "-p", str(pg.port),
                    "-U", "postgres", "pgbench"], check=True, capture_output=True)
    # one start to run the migrations, then the users every reader looks up
    port = free_port()
    proc = procs.start("switchboard-migrate", switchboard_cmd(port, pg))
    wait_until(lambda: http_ok(health_url(port)), 120, proc, "Switchboard")
    procs.stop(proc)
    pg.psql("switchboard", "INSERT INTO users (name, email) SELECT 'User ' || g, 'user' || g || '@example.com' "
                           "FROM generate_series(1, 10000) g; "
                           "INSERT INTO products (name, price_cents, stock) SELECT 'Product ' || g, 100 + g, 1000 "
                           "FROM generate_series(1, 10000) g; ANALYZE")

    only = args.only.split(",")
    chat_idle = lambda *a: chat(*a, idle_only=True)  # noqa: E731
    for name, fn in (("startup", startup), ("database", database), ("fanout", fanout), ("chat", chat),
                     ("chat-idle", chat_idle), ("replicas", replicas)):
        if name in only:
            log(f"workload {name}")
            t0 = time.monotonic()
            try:
                fn(args, cfg, procs, pg, results)
            except Exception as e:  # one broken workload must not hide the others
                log(f"workload {name} FAILED: {e}")
                results[name] = {"failed": str(e)}
            log(f"workload {name} took {time.monotonic() - t0:.0f} s")
    targets(results)
    results["machine"]["loadAverageAtEnd"] = [round(x, 2) for x in os.getloadavg()]
    results["elapsedSeconds"] = round(time.monotonic() - started)
    md, charts = report.write_all(results, args.out)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    log(f"wrote {os.path.join(args.out, 'results.json')}, summary.md and {len(charts)} charts "
        f"after {results['elapsedSeconds']} s")
    for t in results["targets"]:
        log(f"  {'MET ' if t['met'] else 'MISS'} {t['target']}: {t['value']:.3f} (goal {t['goal']}) {t['detail']}")


if __name__ == "__main__":
    main()
