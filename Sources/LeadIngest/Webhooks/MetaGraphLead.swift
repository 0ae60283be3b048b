import Foundation
import LeadCore

/// Meta's second step: a `leadgen` notification carries ids only, and the answers are read with
/// `GET {graph_url}/{leadgen-id}` and a page access token. This reads the Graph API's answer:
/// the lead object (`{id, created_time, ad_id, form_id, field_data: [{name, values}]}`) or its
/// error object (`{"error": {message, type, code, error_subcode}}`), and says whether a failure
/// is worth retrying. Pure: the request itself is the daemon's.
public enum MetaGraphLead {
    public enum Answer: Sendable, Equatable {
        /// The details, as fields to fill in.
        case details(LeadDraft)
        /// A failure; `permanent` ones are not retried (the lead is routed with what is known).
        case failure(String, permanent: Bool)
    }

    /// The request URL: `graph_url/{id}` with the fields the lead needs. The token goes in the
    /// `access_token` parameter, as Meta documents it (it never appears in a log line).
    public static func url(graphURL: String, leadgenID: String, token: String) -> String {
        let base = graphURL.hasSuffix("/") ? String(graphURL.dropLast()) : graphURL
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let id = leadgenID.addingPercentEncoding(withAllowedCharacters: allowed) ?? leadgenID
        let escapedToken = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return "\(base)/\(id)?fields=id,created_time,ad_id,ad_name,adset_id,campaign_id,campaign_name,form_id,field_data,is_organic,platform&access_token=\(escapedToken)"
    }

    /// Reads one response; `draft` receives the fields (its origin and times are the caller's).
    public static func read(status: Int, body: [UInt8], transportError: String?, into draft: LeadDraft,
                            labels: FieldLabels = .defaults) -> Answer {
        if let transportError { return .failure("Graph API unreachable: \(transportError)", permanent: false) }
        let json = try? JSONParser.parse(body)
        if let error = json?["error"] {
            let code = Int(error["code"]?.text ?? "") ?? 0
            let subcode = error["error_subcode"]?.text.map { " subcode \($0)" } ?? ""
            let message = "Graph API error \(code)\(subcode) (HTTP \(status)): \(String((error["message"]?.text ?? "").prefix(200)))"
            return .failure(code == 190 ? message + "; renew the page access token (page_token_file) and reload" : message,
                            permanent: isPermanent(code: code, status: status))
        }
        guard status == 200, let json, case .object = json else {
            return .failure("Graph API answered HTTP \(status) without a lead object", permanent: status >= 400 && status < 500 && status != 429)
        }
        guard let fieldData = json["field_data"]?.arrayValue else {
            return .failure("the Graph API's lead object has no field_data (is the leads_retrieval permission granted?)", permanent: true)
        }
        var details = draft
        VendorPayloads.applyMetaFieldData(fieldData, to: &details, labels: labels)
        for key in ["created_time", "ad_id", "ad_name", "adset_id", "campaign_id", "campaign_name", "form_id", "platform", "is_organic"] {
            if let text = json[key]?.text, !text.isEmpty { details.customFields["meta_\(key)"] = text }
        }
        if details.campaign == nil { details.campaign = json["campaign_name"]?.text ?? json["campaign_id"]?.text }
        return .details(details)
    }

    /// Graph API error codes that will not heal by waiting: a bad request or a lead that does
    /// not exist (100), a missing permission (10, 200–299). Throttling (4, 17, 32, 613), temporary
    /// errors (1, 2) and an expired token (190: an admin can renew it) are retried.
    static func isPermanent(code: Int, status: Int) -> Bool {
        switch code {
        case 1, 2, 4, 17, 32, 190, 341, 613: return false
        case 10, 100, 200...299, 803: return true
        default: return status >= 400 && status < 500 && status != 429
        }
    }
}
