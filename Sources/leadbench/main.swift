// leadbench: load generator for scripts/bench. Talks only to 127.0.0.1.
//   leadbench prepare SECRET_FILE COUNT OUT.tsv    (signed requests for the wrk script)
//   leadbench maildrop MAILDIR_ROOT FILES          (delivers FILES mails and times the drain)
//   leadbench smtp-raw PORT COUNT                  (COUNT messages on one libcurl connection)
//   leadbench seed CONFIG COUNT SPACING_MS DELAY_S (COUNT routed leads, the first DELAY_S from now)
//   leadbench mail-wait SINK_DIR DB COUNT LABEL    (waits for COUNT mails; rate and lateness)
//   leadbench sent-wait DB COUNT LABEL             (waits for COUNT sent outbox rows; rate)
//   leadbench seed-open CONFIG COUNT SOURCE        (COUNT routed leads from SOURCE, assigned now)
//   leadbench parse FOLDER                         (the mail-drop's MIME extraction alone over the files)
import Crypto
import Foundation
import LeadCore
import LeadIngest

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes COUNT signed requests as TSV (`id`, `timestamp`, `signature`, `body`) for scripts/bench's
/// wrk script: the requests are signed before the run, so the figures are the daemon's.
func prepare(secretFile: String, count: Int, output: String) {
    let secretText = try! String(contentsOfFile: secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let key = SymmetricKey(data: WebhookAuthenticator.standardSecret(secretText))
    let run = UInt64(Date().timeIntervalSince1970 * 1000)
    let ts = String(Int(Date().timeIntervalSince1970))
    var text = ""
    text.reserveCapacity(count * 300)
    for i in 0..<count {
        let id = "bench-\(run)-\(i)"
        let body = "{\"name\":\"客户\(i)\",\"email\":\"\(id)@bench.example.cn\",\"phone\":\"138\(String(format: "%08d", i % 100_000_000))\",\"province\":\"浙江\",\"company\":\"杭州某某\"}"
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).\(body)".utf8), using: key)
        text += "\(id)\t\(ts)\tv1,\(Data(mac).base64EncodedString())\t\(body)\n"
    }
    try! text.write(toFile: output, atomically: true, encoding: .utf8)
}

/// The mail-drop's parse alone (MIME, charsets, labelled fields: `MailLeadExtractor`), over files
/// read into memory first: the like-for-like figure beside Python's `email` parse.
func parseOnly(folder: String) {
    let names = try! FileManager.default.contentsOfDirectory(atPath: folder)
    let mails = names.map { Array(FileManager.default.contents(atPath: folder + "/" + $0)!) }
    let extractor = MailLeadExtractor(source: "bench")
    let origin = LeadOrigin(channel: .maildrop, name: "bench", key: "parse")
    let start = monotonic()
    var extracted = 0
    for mail in mails where (try? extractor.extract(mail, origin: origin, receivedAt: Date())) != nil { extracted += 1 }
    let elapsed = monotonic() - start
    print(String(format: "leadrouter parse: %d mails parsed (%d extracted) in %.2f s: %.0f mails/s", mails.count, extracted, elapsed,
                 Double(mails.count) / elapsed))
}

func maildrop(root: String, files: Int) {
    let url = URL(fileURLWithPath: root)
    let spool = MaildirSpool(root: url)
    let doneBefore = spool.names(in: .done).count
    let run = UInt64(Date().timeIntervalSince1970)
    // Deliver into a staging Maildir first (tmp/, fsync, rename), then move the whole batch into
    // the watched new/ at once: the clock measures the daemon taking mail, not the producer.
    let stage = url.deletingLastPathComponent().appendingPathComponent("stage-\(run)")
    try! MaildirSpool(root: stage).prepare()
    var names: [String] = []
    for i in 0..<files {
        let mail = "From: \"客户\(i)\" <m\(run)-\(i)@bench.example.cn>\r\nSubject: 询价 \(i)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n姓名：客户\(i)\r\n电话：139 \(String(format: "%04d %04d", i / 10_000 % 10_000, i % 10_000))\r\n省份：广东\r\n"
        names.append(try! MaildirSpool.deliver(Array(mail.utf8), to: stage))
    }
    let start = monotonic()
    for name in names { rename(stage.path + "/new/" + name, spool.path(.new, name)) }
    while spool.names(in: .done).count + spool.names(in: .quarantine).count < doneBefore + files {
        usleep(2_000)
    }
    let elapsed = monotonic() - start
    print(String(format: "maildrop: %d mails (GB-style web-form text, UTF-8) taken from new/ to done/ in %.2f s: %.0f mails/s",
                 files, elapsed, Double(files) / elapsed))
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "prepare" where arguments.count == 5:
    prepare(secretFile: arguments[2], count: Int(arguments[3])!, output: arguments[4])
case "maildrop" where arguments.count == 4:
    maildrop(root: arguments[2], files: Int(arguments[3])!)
case "smtp-raw" where arguments.count == 4:
    smtpRaw(port: Int(arguments[2])!, count: Int(arguments[3])!)
case "seed" where arguments.count == 6:
    let first = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + Double(arguments[5])!).rounded(.up))
    try await seedLeads(config: arguments[2], count: Int(arguments[3])!, first: first, spacing: Double(arguments[4])! / 1000)
case "mail-wait" where arguments.count == 6:
    try mailWait(sink: arguments[2], database: arguments[3], count: Int(arguments[4])!, label: arguments[5])
case "sent-wait" where arguments.count == 5:
    try sentWait(database: arguments[2], count: Int(arguments[3])!, label: arguments[4])
case "parse" where arguments.count == 3:
    parseOnly(folder: arguments[2])
case "seed-open" where arguments.count == 5:
    try await seedOpen(config: arguments[2], count: Int(arguments[3])!, source: arguments[4])
default:
    FileHandle.standardError.write(Data("usage: leadbench prepare SECRET_FILE COUNT OUT.tsv | maildrop ROOT FILES | smtp-raw PORT COUNT | seed CONFIG COUNT SPACING_MS DELAY_S | mail-wait SINK_DIR DB COUNT LABEL | sent-wait DB COUNT LABEL | seed-open CONFIG COUNT SOURCE | parse FOLDER\n".utf8))
    exit(64)
}
