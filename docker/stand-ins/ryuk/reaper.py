"""testcontainers/ryuk stand-in: Ryuk's protocol (one filter per line on TCP 8080, answered "ACK"), then, once every
client has disconnected and none came back within RYUK_RECONNECTION_TIMEOUT (or none came within
RYUK_CONNECTION_TIMEOUT), removes the containers, networks, volumes and images matching the filters and exits."""
import os
import socketserver
import threading
import time
from urllib.parse import parse_qs

import docker


def seconds(name, default):
    value = os.environ.get(name, default).strip().lower()
    return float(value[:-1]) if value.endswith("s") else float(value)


CONNECTION_TIMEOUT = seconds("RYUK_CONNECTION_TIMEOUT", "60s")
RECONNECTION_TIMEOUT = seconds("RYUK_RECONNECTION_TIMEOUT", "10s")
filters, lock = [], threading.Lock()
state = {"clients": 0, "seen": False, "last_change": time.monotonic()}


class Client(socketserver.StreamRequestHandler):
    def handle(self):
        with lock:
            state["clients"] += 1
            state["seen"] = True
        try:
            for line in self.rfile:
                query = parse_qs(line.decode("utf-8").strip())
                if query:
                    with lock:
                        filters.append(query)
                self.wfile.write(b"ACK\n")
        finally:
            with lock:
                state["clients"] -= 1
                state["last_change"] = time.monotonic()


def prune():
    engine = docker.from_env()
    for query in filters:
        for container in engine.containers.list(all=True, filters=query):
            container.remove(force=True, v=True)
        for kind in (engine.networks, engine.volumes):
            for item in kind.list(filters=query):
                item.remove()
        for image in engine.images.list(filters=query):
            engine.images.remove(image.id, force=True)
    print(f"Removed what {len(filters)} filter(s) named", flush=True)


server = socketserver.ThreadingTCPServer(("", 8080), Client)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print("Started", flush=True)
begun = time.monotonic()
while True:
    time.sleep(0.5)
    with lock:
        idle = state["clients"] == 0 and time.monotonic() - state["last_change"] > RECONNECTION_TIMEOUT
        done = (state["seen"] and idle) or (not state["seen"] and time.monotonic() - begun > CONNECTION_TIMEOUT)
    if done:
        prune()
        break
