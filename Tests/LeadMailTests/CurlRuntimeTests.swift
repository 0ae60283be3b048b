import LeadMail
import Testing

@Suite struct CurlRuntimeTests {
    @Test func libcurlInitialisesAndSpeaksSMTP() {
        #expect(CurlRuntime.initialize())
        #expect(CurlRuntime.version.split(separator: ".").count >= 3)
        #expect(CurlRuntime.supportsSMTP)
    }
}
