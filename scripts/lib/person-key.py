#!/usr/bin/env python3
"""Who sent each mail, by Python's own `email` parser (independent of leadrouter's): prints
`FILE<TAB>KEY` per file. KEY is the person: the e-mail or phone in a labelled form field when
the body has one (then the From/Reply-To address is the form service's), else the Reply-To or
From address, lower-cased; `-` when there is none.

    person-key.py FILE...
"""
import re
import sys
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses

LABEL = re.compile(r"(?:^|\s)(?:e-?mail|邮箱|郵箱|电子邮件|電郵|phone|mobile|tel|电话|電話|手机|手機|手机号码|联系电话)\s*[:：]\s*(\S+)",
                   re.IGNORECASE)


def text_of(msg):
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""
    except Exception:
        return ""


def key(path):
    try:
        msg = BytesParser(policy=policy.default).parsebytes(open(path, "rb").read())
    except Exception:
        return "-"
    match = LABEL.search(text_of(msg) or "")
    if match:
        return "field:" + re.sub(r"[^0-9a-z@._+-]", "", match.group(1).lower())
    for header in ("Reply-To", "From"):
        try:
            values = msg.get_all(header) or []
            addresses = [a for _, a in getaddresses([str(v) for v in values]) if "@" in a]
        except Exception:
            addresses = []
        if addresses:
            return addresses[0].lower()
    return "-"


for path in sys.argv[1:]:
    print(f"{path}\t{key(path)}")
