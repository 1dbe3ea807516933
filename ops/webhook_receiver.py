"""A webhook receiver for ops/webhook-interop.sh: verifies every delivery with the
`standardwebhooks` package (the Standard Webhooks reference library, not scimgate's code),
answers 500 to the first delivery to exercise a retry, and appends what verified to a file.

usage: webhook_receiver.py <port> <secret> <out-file>
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

PORT, SECRET, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]
hook = Webhook(SECRET)
seen = {"count": 0}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            event = hook.verify(body, headers)
        except WebhookVerificationError as err:
            with open(OUT, "a") as out:
                out.write(json.dumps({"refused": str(err)}) + "\n")
            self.send_response(400)
            self.end_headers()
            return
        seen["count"] += 1
        if seen["count"] == 1:
            self.send_response(500)  # the first one fails once: it must come again
            self.end_headers()
            return
        with open(OUT, "a") as out:
            out.write(json.dumps({"id": headers["webhook-id"], "event": event}) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
