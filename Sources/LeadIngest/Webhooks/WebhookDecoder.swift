import Crypto
import Foundation
import LeadCore

/// Turns an authenticated webhook body into leads. Pure: no I/O; `receivedAt` is passed in.
public struct WebhookDecoder: Sendable {
    public var name: String
    public var format: WebhookFormat
    public var source: String
    /// Lead field → JSON path (`json`) or form field name (`form`), over the built-in names.
    public var fields: [LeadField: String]
    /// Where the event id is in a `json` body (else `webhook-id`, else the body's SHA-256).
    public var idPath: String?
    public var labels: FieldLabels

    public init(name: String, format: WebhookFormat, source: String, fields: [LeadField: String] = [:],
                idPath: String? = nil, labels: FieldLabels = .defaults) {
        self.name = name; self.format = format; self.source = source; self.fields = fields
        self.idPath = idPath; self.labels = labels
    }

    public func decode(_ request: WebhookRequest, receivedAt: Date) throws(WebhookError) -> [WebhookLead] {
        let leads: [WebhookLead]
        switch format {
        case .json: leads = [try decodeJSON(request, receivedAt: receivedAt)]
        case .form: leads = [try decodeForm(request, receivedAt: receivedAt)]
        case .metaLeadgen: leads = try VendorPayloads.meta(try json(request), decoder: self, receivedAt: receivedAt)
        case .typeform: leads = [try VendorPayloads.typeform(try json(request), decoder: self, receivedAt: receivedAt)]
        case .hubspot: leads = try VendorPayloads.hubspot(try json(request), decoder: self, receivedAt: receivedAt)
        case .googleAds: leads = [try VendorPayloads.googleAds(try json(request), decoder: self, receivedAt: receivedAt)]
        }
        guard !leads.isEmpty else { throw .unprocessable("the payload carries no lead") }
        return leads
    }

    func json(_ request: WebhookRequest) throws(WebhookError) -> JSONValue {
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw .malformed(error.description)
        }
    }

    func draft(eventID: String, receivedAt: Date) -> LeadDraft {
        LeadDraft(source: source, origin: LeadOrigin(channel: .webhook, name: name, key: eventID), receivedAt: receivedAt)
    }

    public static func bodyDigest(_ body: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }

    private func decodeJSON(_ request: WebhookRequest, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        let root = try json(request)
        guard case .object(let members) = root else { throw .unprocessable("expected a JSON object") }
        let eventID = idPath.flatMap { root.value(at: $0)?.text } ?? request.header("webhook-id") ?? Self.bodyDigest(request.body)
        var draft = draft(eventID: eventID, receivedAt: receivedAt)
        for (field, path) in fields {
            if let value = root.value(at: path)?.text { MailLeadExtractor.set(field, value, on: &draft) }
        }
        for (key, value) in members {
            guard let text = value.text, let field = labels.field(for: Substring(key)), !fields.keys.contains(field) else { continue }
            MailLeadExtractor.set(field, text, on: &draft)
        }
        try requireContact(draft)
        return WebhookLead(eventID: eventID, draft: draft, warnings: [])
    }

    private func decodeForm(_ request: WebhookRequest, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        let pairs = try FormBody.pairs(request)
        let eventID = request.header("webhook-id") ?? pairs.first { $0.0 == (idPath ?? "") }?.1 ?? Self.bodyDigest(request.body)
        var draft = draft(eventID: eventID, receivedAt: receivedAt)
        let byName = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        for (field, name) in fields {
            if let value = byName[name] { MailLeadExtractor.set(field, value, on: &draft) }
        }
        for (key, value) in pairs {
            guard let field = labels.field(for: Substring(key)), !fields.keys.contains(field) else { continue }
            MailLeadExtractor.set(field, value, on: &draft)
        }
        try requireContact(draft)
        return WebhookLead(eventID: eventID, draft: draft, warnings: [])
    }

    func requireContact(_ draft: LeadDraft) throws(WebhookError) {
        guard draft.email != nil || draft.phone != nil else {
            throw .unprocessable("no e-mail address or phone number in the payload")
        }
    }
}
