#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for leadrouter's tests, benchmarks and `scripts/run --mail-sink`.

Each accepted message is written to DIR/NNNNNN.eml, with DIR/NNNNNN.json holding the envelope
(mail_from, rcpt_tos, peer, tls, auth). Prints "READY <port>" once listening; stops on SIGTERM.

  --starttls CERT KEY      offer STARTTLS (and require it before MAIL with --require-tls)
  --implicit-tls CERT KEY  smtps: TLS from the first byte
  --auth USER:PASSWORD     require AUTH (PLAIN, LOGIN)
  --reject RCPT_SUBSTRING  answer 550 to RCPT TO addresses containing it
  --tempfail N             answer 451 to the first N DATA commands
  --print                  also print each message (for people watching scripts/run)
"""
import argparse, asyncio, email, email.policy, json, os, signal, ssl, sys, threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, args):
        self.args = args
        self.count = len([n for n in os.listdir(args.dir) if n.endswith(".eml")])
        self.tempfails = args.tempfail
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.args.reject and self.args.reject in address:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfails > 0:
                self.tempfails -= 1
                return "451 4.3.0 Temporary failure, try again later"
            self.count += 1
            n = self.count
        name = os.path.join(self.args.dir, "%06d" % n)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "peer": str(session.peer),
                "tls": bool(session.ssl) or server.transport.get_extra_info("ssl_object") is not None, "auth": bool(session.authenticated)}
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(name + ".json", "w") as f:
            json.dump(meta, f)
        os.rename(name + ".tmp", name + ".eml")
        if self.args.print:
            print("---- message %d from %s to %s" % (n, envelope.mail_from, ", ".join(envelope.rcpt_tos)), flush=True)
            try:
                message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
                for header in ("Date", "From", "To", "Cc", "Subject", "Message-ID"):
                    if message[header]:
                        print("%s: %s" % (header, message[header]), flush=True)
                body = message.get_body(preferencelist=("plain",))
                print("\n" + (body.get_content() if body else ""), flush=True)
            except Exception as error:  # show it raw rather than not at all
                print("(unparsed: %s)" % error, flush=True)
                print((envelope.original_content or envelope.content).decode("utf-8", "replace"), flush=True)
        return "250 2.0.0 Ok: queued as LR%06d" % n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--require-tls", action="store_true")
    p.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth")
    p.add_argument("--reject")
    p.add_argument("--tempfail", type=int, default=0)
    p.add_argument("--print", action="store_true")
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    kwargs = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context, require_starttls=args.require_tls)
    if args.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.implicit_tls)
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(args.starttls or args.implicit_tls))
    controller = Controller(Sink(args), hostname="127.0.0.1", port=args.port, server_hostname="localhost", **kwargs)
    controller.start()
    print("READY %d" % args.port, flush=True)
    stop = threading.Event()
    # A parent may have blocked these (a test runner); a blocked SIGTERM would never stop us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.1):   # a short wait, so the signal handler runs promptly
        pass
    controller.stop()


if __name__ == "__main__":
    main()
