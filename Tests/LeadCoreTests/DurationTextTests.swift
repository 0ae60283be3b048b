import LeadCore
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90s", Int64(90)), ("15m", 900), ("24h", 86_400), ("3d", 259_200), ("1h30m", 5_400),
        ("1d2h3m4s", 93_784), ("0s", 0), (" 5m ", 300),
    ])
    func parsesWhatAdminsWrite(text: String, seconds: Int64) throws {
        #expect(try DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "5", "m", "5x", "1.5h", "30m1h", "1h1h", "-5m", "5 m", "五分钟", "99999999999999999999s"])
    func rejectsMalformedText(text: String) {
        #expect(throws: DurationText.ParseError.self) { try DurationText.seconds(text) }
    }

    @Test func reportsOverflowSeparately() {
        #expect(throws: DurationText.ParseError.overflow("9999999999999999999d")) {
            try DurationText.seconds("9999999999999999999d")
        }
    }

    @Test(arguments: [Int64(0), 1, 59, 60, 61, 3_600, 5_400, 86_400, 93_784, 259_200])
    func formatRoundTrips(seconds: Int64) throws {
        #expect(try DurationText.seconds(DurationText.format(seconds: seconds)) == seconds)
    }

    @Test func formatsTheShortestForm() {
        #expect(DurationText.format(seconds: 5_400) == "1h30m")
        #expect(DurationText.format(seconds: 259_200) == "3d")
    }

    @Test func durationsConvertToTheUnitsSystemInterfacesWant() {
        let d = Duration.seconds(2) + .milliseconds(345) + .microseconds(6) + .nanoseconds(7)
        #expect(d.wholeSeconds == 2)
        #expect(d.milliseconds == 2_345)
        #expect(d.microseconds == 2_345_006)
        #expect(d.nanoseconds == 2_345_006_007)
        #expect(Duration.seconds(30).microseconds == 30_000_000, "WATCHDOG_USEC for 30 s")
    }
}
