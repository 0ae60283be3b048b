/// The payload layouts leadrouter reads (`[[webhook]] format`).
public enum WebhookFormat: String, Sendable, CaseIterable {
    /// Any JSON object; fields found by `[webhook.fields]` paths or by common key names.
    case json
    /// `application/x-www-form-urlencoded` or `multipart/form-data` from web forms.
    case form
    /// Meta (Facebook/Instagram) Lead Ads `leadgen` notifications, with `field_data` when present.
    case metaLeadgen = "meta-leadgen"
    /// Typeform `form_response` events.
    case typeform
    /// HubSpot webhook event arrays (`contact.creation`).
    case hubspot
    /// Google Ads lead-form extension webhooks.
    case googleAds = "google-ads"
}
