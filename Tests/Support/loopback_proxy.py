"""A forward HTTP proxy on 127.0.0.1 for selfdebug's tests (plain http, no CONNECT).

Prints `PORT <n>` when ready, logs `METHOD absolute-URL` of every request it forwards (one line,
written before forwarding), relays the answer as it arrives, and exits with its parent.
"""
import argparse, http.client, os, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

parser = argparse.ArgumentParser()
parser.add_argument("--log", required=True)
options = parser.parse_args()
lock = threading.Lock()
parent = os.getppid()
HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        with lock:
            with open(options.log, "a") as log:
                log.write("%s %s\n" % (self.command, self.path))
        target = urlsplit(self.path)
        if target.scheme != "http":
            self.send_error(501, "only plain http")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=300)
        upstream.request(self.command, (target.path or "/") + ("?" + target.query if target.query else ""), body=body or None, headers=headers)
        answer = upstream.getresponse()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        while True:
            chunk = answer.read1(65536)
            if not chunk:
                break
            self.wfile.write(chunk)
            self.wfile.flush()
        upstream.close()

    do_GET = do_POST = forward


def watchdog():
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


threading.Thread(target=watchdog, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
