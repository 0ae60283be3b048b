import Foundation
import LeadConfig
import LeadTestSupport
import Testing

@Suite struct SecretTests {
    func smtp(_ passwordFile: String) -> String {
        """
        [smtp]
        url = "smtp://127.0.0.1:2525"
        from = "leadrouter@example.com"
        username = "leadrouter"
        password_file = "\(passwordFile)"
        """
    }

    @Test func aBareNameIsReadFromTheCredentialsDirectory() throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("smtp-password", "s3cret-密码\n")
        let config = try decode(smtp("smtp-password"), environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(config.smtp?.password?.value == "s3cret-密码")
        #expect(config.smtp?.password?.description.contains("s3cret") == false)
    }

    @Test func aPathIsRelativeToTheConfigFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("secrets/smtp", "pw")
        let file = try folder.write("leadrouter.toml", smtp("secrets/smtp"))
        let config = try ConfigLoader(environment: [:]).load(path: file.path)
        #expect(config.smtp?.password?.value == "pw")
        #expect(config.smtp?.password?.source == folder.url.appendingPathComponent("secrets/smtp").path)
    }

    @Test func aMissingCredentialIsAnIssueNamingTheKey() throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        #expect(issues(smtp("smtp-password"), environment: ["CREDENTIALS_DIRECTORY": credentials.path]) == [
            "leadrouter.toml:5: smtp.password_file: cannot read secret file \(credentials.path)/smtp-password",
        ])
    }

    @Test func anEmptySecretIsRejected() throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("smtp-password", "\n")
        #expect(issues(smtp("smtp-password"), environment: ["CREDENTIALS_DIRECTORY": credentials.path]) == [
            "leadrouter.toml:5: smtp.password_file: secret file \(credentials.path)/smtp-password is empty",
        ])
    }

    @Test func aUsernameNeedsAPasswordAndSMTPNeedsAURLAndSender() {
        #expect(issues("[smtp]\nusername = \"u\"\n") == [
            "leadrouter.toml:1: smtp.url: missing required key",
            "leadrouter.toml:1: smtp.from: missing required key",
            "leadrouter.toml:1: smtp.password_file: missing required key",
        ])
        #expect(issues("[smtp]\nurl = \"http://mail\"\nfrom = \"a@example.com\"\n") == [
            "leadrouter.toml:2: smtp.url: \"http://mail\" is not an smtp:// or smtps:// URL with a host",
        ])
    }
}
