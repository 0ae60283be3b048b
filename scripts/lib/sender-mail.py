#!/usr/bin/env python3
"""Writes lead mail the way real senders produce it, for the intake-fidelity tests.

    sender-mail.py OUTDIR STYLE [COUNT]

Each file is one RFC 5322 message built with Python's `email` package and `codecs` (not by hand),
named STYLE-N.eml. Styles:

  form-phone-only   a form service (金数据-like) notifying from one address, UTF-8 base64 body,
                    labelled fields with a phone and no e-mail field; COUNT different people
  form-html-gbk     a survey service (问卷星-like): GBK HTML table, From its one no-reply address
  phpmailer-gbk     PHPMailer's default label (iso-8859-1, 8bit) over GBK bytes
  phpmailer-utf8    PHPMailer's default label (iso-8859-1, quoted-printable) over UTF-8 bytes
  big5-form         a Taiwan/Hong Kong form in Big5 with traditional labels (手機, 電郵, 行業, ...)
  latin1-real       a real Latin-1 mail (German), labelled iso-8859-1: the label is right
"""
import base64
import sys
from email.message import EmailMessage, Message
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid
from email import charset as email_charset
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]
PROVINCES = ["浙江省", "江苏", "上海", "广东省", "北京市", "四川", "湖北省", "山东", "福建省", "河南"]


def person(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)], "139%08d" % (10_000_000 + i * 7919)


def headers(msg, sender, subject, i):
    msg["From"] = sender
    msg["To"] = "sales@example.cn"
    msg["Subject"] = subject
    msg["Date"] = formatdate(1796000000 + i * 60, localtime=False)
    msg["Message-ID"] = make_msgid(domain="sender.example")


def form_phone_only(i):
    name, phone = person(i)
    msg = EmailMessage()
    headers(msg, formataddr(("金数据", "notify@jinshuju.net")), "您的表单《官网咨询》有新的数据", i)
    body = f"官网咨询 收到第 {i + 1} 条数据\n\n姓名：{name}\n手机号码：{phone}\n所在地区：{PROVINCES[i % len(PROVINCES)]}\n留言：想了解报价\n"
    msg.set_content(body, charset="utf-8", cte="base64")
    return msg.as_bytes()


def form_html_gbk(i):
    name, phone = person(i + 100)
    rows = [("您的姓名", name), ("联系电话", phone), ("公司名称", f"杭州第{i + 1}制造有限公司"), ("所属行业", "制造业")]
    html = "<html><head><meta charset=\"gbk\"></head><body><table>" + "".join(
        f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table></body></html>"
    msg = Message()
    headers(msg, formataddr(("问卷星", "noreply@wjx.cn")), Header("问卷星：您的问卷有新答卷", "gbk").encode(), i)
    msg["MIME-Version"] = "1.0"
    cs = email_charset.Charset("gbk")
    cs.body_encoding = email_charset.BASE64
    msg.set_payload(html.encode("gbk"), cs)
    msg.replace_header("Content-Type", 'text/html; charset="gbk"')
    return msg.as_bytes()


def phpmailer(i, encoding):
    name, phone = person(i + 200)
    text = f"姓名: {name}\r\n电话: {phone}\r\n公司: 苏州某某科技\r\n行业: 软件\r\n留言: 请尽快联系\r\n"
    raw = text.encode(encoding)
    msg = Message()
    headers(msg, formataddr(("WordPress", "wordpress@site.example.cn")), "New form submission", i)
    msg["MIME-Version"] = "1.0"
    msg["X-Mailer"] = "PHPMailer 6.8.0 (https://github.com/PHPMailer/PHPMailer)"
    msg["Content-Type"] = "text/plain; charset=iso-8859-1"
    if encoding == "gbk":
        # PHPMailer writes the body's bytes as they are (8bit) under its default label.
        msg["Content-Transfer-Encoding"] = "8bit"
        msg.set_payload("")
        return msg.as_bytes() + raw
    import quopri
    msg["Content-Transfer-Encoding"] = "quoted-printable"
    msg.set_payload(quopri.encodestring(raw).decode("ascii"))
    return msg.as_bytes()


def big5_form(i):
    msg = Message()
    subject = "=?big5?b?" + base64.b64encode("新的聯絡表單".encode("big5")).decode("ascii") + "?="
    headers(msg, formataddr(("網站表單", "form@site.example.tw")), subject, i)
    msg["MIME-Version"] = "1.0"
    text = f"客戶姓名：陳大文\n手機：0912-345-{678 + i:03d}\n電郵：chan{i}@example.com.hk\n公司名稱：九龍貿易有限公司\n行業：貿易\n地區：台灣\n"
    cs = email_charset.Charset("big5")
    cs.body_encoding = email_charset.BASE64
    msg.set_payload(text.encode("big5"), cs)
    return msg.as_bytes()


def latin1_real(i):
    msg = EmailMessage()
    headers(msg, formataddr(("Jürgen Müller", "juergen.mueller@example.de")), "Anfrage Angebot", i)
    msg.set_content("Sehr geehrte Damen und Herren,\n\nich hätte gern ein Angebot für Ihre Software. "
                    "Grüße aus München, Jürgen Müller\n", charset="iso-8859-1", cte="8bit")
    return msg.as_bytes()


STYLES = {
    "form-phone-only": form_phone_only,
    "form-html-gbk": form_html_gbk,
    "phpmailer-gbk": lambda i: phpmailer(i, "gbk"),
    "phpmailer-utf8": lambda i: phpmailer(i, "utf-8"),
    "big5-form": big5_form,
    "latin1-real": latin1_real,
}


def main():
    out, style = Path(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (out / f"{style}-{i}.eml").write_bytes(STYLES[style](i))


if __name__ == "__main__":
    main()
