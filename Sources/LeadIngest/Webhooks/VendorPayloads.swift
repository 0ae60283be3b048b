import Foundation
import LeadCore

/// The vendor layouts: Meta Lead Ads, Typeform, HubSpot and Google Ads.
enum VendorPayloads {
    /// Meta `leadgen` notifications (`entry[].changes[].value`), or lead-retrieval objects
    /// (`{id, field_data}`) alone or in an array, as Meta's test tool and Graph API give them.
    static func meta(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> [WebhookLead] {
        var values: [JSONValue] = []
        if let entries = root["entry"]?.arrayValue {
            for entry in entries {
                for change in entry["changes"]?.arrayValue ?? [] where change["field"]?.text == "leadgen" {
                    if let value = change["value"] { values.append(value) }
                }
            }
        } else if let array = root.arrayValue {
            values = array.map { $0["value"] ?? $0 }
        } else {
            values = [root]
        }
        guard !values.isEmpty else { throw .unprocessable("no leadgen change in the notification") }
        return try values.map { value throws(WebhookError) in
            guard let id = (value["leadgen_id"] ?? value["id"])?.text else { throw .unprocessable("a leadgen change without leadgen_id") }
            var draft = decoder.draft(eventID: id, receivedAt: receivedAt)
            draft.customFields["meta_leadgen_id"] = id
            for key in ["form_id", "ad_id", "page_id", "adgroup_id"] {
                if let text = value[key]?.text { draft.customFields["meta_\(key)"] = text }
            }
            var warnings: [String] = []
            if let fieldData = value["field_data"]?.arrayValue {
                var first: String? = nil
                var last: String? = nil
                for field in fieldData {
                    guard let name = field["name"]?.text, let text = field["values"]?.arrayValue?.compactMap(\.text).joined(separator: ", "),
                          !text.isEmpty else { continue }
                    switch name.lowercased() {
                    case "full_name", "name": draft.name = text
                    case "first_name": first = text
                    case "last_name": last = text
                    case "email", "work_email": draft.email = draft.email ?? text
                    case "phone_number", "phone", "work_phone_number": draft.phone = draft.phone ?? text
                    case "company_name", "company": draft.company = text
                    case "city": draft.city = text
                    case "state", "province": draft.province = text
                    case "country": draft.country = text
                    default:
                        if let field = decoder.labels.field(for: Substring(name)) { MailLeadExtractor.set(field, text, on: &draft) }
                        else { draft.customFields[name] = text }
                    }
                }
                if draft.name == nil, first != nil || last != nil {
                    draft.name = [first, last].compactMap { $0 }.joined(separator: " ")
                }
            } else {
                warnings.append("no field_data: the lead's details must be fetched from the Graph API (GET /\(id))")
            }
            return WebhookLead(eventID: id, draft: draft, warnings: warnings)
        }
    }

    static func typeform(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        guard let response = root["form_response"] else { throw .unprocessable("no form_response") }
        guard let token = (response["token"] ?? root["event_id"])?.text else { throw .unprocessable("form_response without token") }
        var draft = decoder.draft(eventID: token, receivedAt: receivedAt)
        if let form = response["form_id"]?.text { draft.customFields["typeform_form_id"] = form }
        for answer in response["answers"]?.arrayValue ?? [] {
            let field = answer["field"]
            let ref = field?["ref"]?.text ?? field?["id"]?.text ?? ""
            let title = Self.typeformTitle(of: field, in: response).lowercased()
            switch answer["type"]?.text {
            case "email": draft.email = draft.email ?? answer["email"]?.text
            case "phone_number": draft.phone = draft.phone ?? answer["phone_number"]?.text
            case "text":
                guard let text = answer["text"]?.text else { continue }
                if let mapped = decoder.fields.first(where: { $0.value == ref })?.key {
                    MailLeadExtractor.set(mapped, text, on: &draft)
                } else if title.contains("name") || title.contains("姓名") || title.contains("称呼") {
                    draft.name = draft.name ?? text
                } else if title.contains("company") || title.contains("公司") {
                    draft.company = draft.company ?? text
                } else {
                    draft.customFields[ref] = text
                }
            default:
                if let text = answer[answer["type"]?.text ?? ""]?.text, !ref.isEmpty { draft.customFields[ref] = text }
            }
        }
        try decoder.requireContact(draft)
        return WebhookLead(eventID: token, draft: draft, warnings: [])
    }

    private static func typeformTitle(of field: JSONValue?, in response: JSONValue) -> String {
        guard let id = field?["id"]?.text else { return "" }
        let definitions = response["definition"]?["fields"]?.arrayValue ?? []
        return definitions.first { $0["id"]?.text == id }?["title"]?.text ?? ""
    }

    /// HubSpot sends arrays of events; each contact creation is recorded with its object id.
    static func hubspot(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> [WebhookLead] {
        guard let events = root.arrayValue ?? (root["eventId"] != nil ? [root] : nil) else {
            throw .unprocessable("expected an array of HubSpot events")
        }
        var leads: [WebhookLead] = []
        for event in events {
            guard let eventID = event["eventId"]?.text else { throw .unprocessable("an event without eventId") }
            let type = event["subscriptionType"]?.text ?? ""
            guard type.hasPrefix("contact.") || type.isEmpty else { continue }
            var draft = decoder.draft(eventID: eventID, receivedAt: receivedAt)
            for key in ["objectId", "portalId", "subscriptionType", "propertyName", "propertyValue"] {
                if let text = event[key]?.text { draft.customFields["hubspot_\(key)"] = text }
            }
            if event["propertyName"]?.text == "email" { draft.email = event["propertyValue"]?.text }
            if event["propertyName"]?.text == "phone" { draft.phone = event["propertyValue"]?.text }
            leads.append(WebhookLead(eventID: eventID, draft: draft,
                                     warnings: ["HubSpot events carry ids only: contact \(event["objectId"]?.text ?? "?") details must be fetched from HubSpot"]))
        }
        return leads
    }

    static func googleAds(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        guard let leadID = root["lead_id"]?.text else { throw .unprocessable("no lead_id") }
        var draft = decoder.draft(eventID: leadID, receivedAt: receivedAt)
        var first: String? = nil
        var last: String? = nil
        for column in root["user_column_data"]?.arrayValue ?? [] {
            guard let value = column["string_value"]?.text, !value.isEmpty else { continue }
            switch column["column_id"]?.text ?? "" {
            case "FULL_NAME": draft.name = value
            case "FIRST_NAME": first = value
            case "LAST_NAME": last = value
            case "EMAIL", "WORK_EMAIL": draft.email = draft.email ?? value
            case "PHONE_NUMBER", "WORK_PHONE": draft.phone = draft.phone ?? value
            case "COMPANY_NAME": draft.company = value
            case "CITY": draft.city = value
            case "REGION": draft.province = value
            case "COUNTRY": draft.country = value
            case let other: draft.customFields[other.lowercased()] = value
            }
        }
        if draft.name == nil, first != nil || last != nil { draft.name = [first, last].compactMap { $0 }.joined(separator: " ") }
        if let campaign = root["campaign_id"]?.text { draft.campaign = campaign }
        for key in ["form_id", "gcl_id", "adgroup_id", "creative_id"] {
            if let text = root[key]?.text { draft.customFields["google_\(key)"] = text }
        }
        if root["is_test"] == .bool(true) { draft.customFields["is_test"] = "true" }
        try decoder.requireContact(draft)
        return WebhookLead(eventID: leadID, draft: draft, warnings: [])
    }
}
