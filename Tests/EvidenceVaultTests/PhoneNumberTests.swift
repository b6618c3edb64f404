import EvidenceVault
import Testing

@Suite("Normalising phone numbers")
struct PhoneNumberTests {
  @Test(
    "Numbers written in the usual ways become E.164",
    arguments: [
      ("070-123 45 67", "+46701234567"),
      ("0701234567", "+46701234567"),
      ("0046701234567", "+46701234567"),
      ("+46 70 123 45 67", "+46701234567"),
      ("+46701234567", "+46701234567"),
      ("+46 (0)70 123 45 67", "+46701234567"),
      ("+46 (0)70-123 45 67", "+46701234567"),
      ("0046 (0)70 123 45 67", "+46701234567"),
      ("08-123 456 78", "+46812345678"),
      ("(08) 123 456 78", "+46812345678"),
      ("08/123.456.78", "+46812345678"),
      ("070\u{00A0}123\u{00A0}45\u{00A0}67", "+46701234567"),
      ("  070-123 45 67  ", "+46701234567"),
      ("+47 912 34 567", "+4791234567"),
      ("0047 912 34 567", "+4791234567"),
      ("+1 (212) 555-0100", "+12125550100"),
    ])
  func normalises(raw: String, expected: String) throws {
    #expect(try PhoneNumber.normalise(raw) == expected)
  }

  @Test("A national number takes the given default country code")
  func otherDefaultCountry() throws {
    #expect(try PhoneNumber.normalise("0912 34 567", defaultCountryCode: "47") == "+4791234567")
    #expect(try PhoneNumber.normalise("0912 34 567", defaultCountryCode: "+47") == "+4791234567")
  }

  @Test(
    "Numbers with letters or other characters are rejected",
    arguments: [
      "070-ABC 45 67", "call me", "070-123 45 67 ext 2", "070_123_45_67", "070*123#45", "+46+70 123 45 67",
      "٠٧٠١٢٣٤٥٦٧",
    ])
  func rejectsOtherCharacters(raw: String) {
    expectRejection(raw)
  }

  @Test(
    "Numbers that are too short or too long are rejected",
    arguments: [
      "070 12", "+46 12", "123", "+46 70 123 45 67 89 01 23", "0046 1234 5678 9012 34",
    ])
  func rejectsWrongLengths(raw: String) {
    expectRejection(raw)
  }

  @Test(
    "Numbers without a country code or leading 0 are rejected",
    arguments: [
      "701234567", "+0701234567", "000701234567",
    ])
  func rejectsMissingPrefix(raw: String) {
    expectRejection(raw)
  }

  @Test("An empty number is rejected with an example", arguments: ["", "   "])
  func rejectsEmpty(raw: String) {
    #expect(throws: PhoneNumberError.self) { try PhoneNumber.normalise(raw) }
    do {
      _ = try PhoneNumber.normalise(raw)
    } catch {
      #expect(error.message.contains("+46 70 123 45 67"))
      #expect(error.description == error.message)
    }
  }

  @Test("An invalid default country code is rejected")
  func rejectsBadDefaultCountryCode() {
    #expect(throws: PhoneNumberError.self) { try PhoneNumber.normalise("070-123 45 67", defaultCountryCode: "x") }
    #expect(throws: PhoneNumberError.self) { try PhoneNumber.normalise("070-123 45 67", defaultCountryCode: "") }
  }

  /// Expects `raw` to be rejected with a sentence that quotes it and shows an example number.
  private func expectRejection(_ raw: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      let result = try PhoneNumber.normalise(raw)
      Issue.record("\"\(raw)\" was accepted as \(result)", sourceLocation: sourceLocation)
    } catch {
      #expect(error.message.contains("\"\(raw)\""), sourceLocation: sourceLocation)
      #expect(error.message.contains("\"+46 70 123 45 67\""), sourceLocation: sourceLocation)
      #expect(error.message.hasSuffix("."), sourceLocation: sourceLocation)
    }
  }
}
