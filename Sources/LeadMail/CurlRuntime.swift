import CCurl

/// libcurl process-wide state. The SMTP transport (mail issue) builds on this; today it is used
/// to initialise libcurl once, before any thread starts, and to report its version.
public enum CurlRuntime {
    /// `curl_global_init(CURL_GLOBAL_DEFAULT)`; call once at start-up, before threads use libcurl.
    public static func initialize() -> Bool {
        leadrouter_curl_global_init_default() == CURLE_OK
    }

    /// libcurl's version, e.g. "7.88.1".
    public static var version: String {
        guard let info = leadrouter_curl_version_info(), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }

    /// Whether this libcurl speaks SMTP and SMTPS.
    public static var supportsSMTP: Bool {
        guard let info = leadrouter_curl_version_info(), var protocols = info.pointee.protocols else { return false }
        var names: Set<String> = []
        while let name = protocols.pointee {
            names.insert(String(cString: name))
            protocols += 1
        }
        return names.isSuperset(of: ["smtp", "smtps"])
    }
}
