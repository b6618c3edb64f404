import EvidenceVault
import Foundation
import Testing

@testable import EvidenceReport

@Suite struct DossierTextTests {
  static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? .gmt
  static let longLine = String(repeating: "abcdefghij", count: 15)
  static let longWord = String(repeating: "abcdefghijklmnopqrstuvwxy", count: 8)
  static let narrativeWords = ["Han", "stod", "utanför", "dörren", "och", "sade", "att", "han", "skulle", "komma"]
  static let messageText = "Öppna dörren\n\nسأجدك\nЯ тебя найду\n\(longLine)\nsista raden"
  static let hashes = [
    String(repeating: "0123456789abcdef", count: 4), String(repeating: "fedcba9876543210", count: 4),
  ]
  static let numbers = [
    "112", "114 14", "116 006", "020-50 50 50", "020-390 000", "08-30 30 20", "020-55 00 00", "116 111",
  ]

  static func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text) ?? .distantPast
  }

  static func model(_ language: DossierModel.Language, help: Bool = true) -> DossierModel {
    let narrative =
      narrativeWords.joined(separator: " ") + " " + longWord + "\n\nSedan gick han därifrån. "
      + String(repeating: "Det var mörkt ute och jag var rädd. ", count: 12)
    let first = DossierModel.Incident(
      number: 1,
      happened: .init(
        start: utc("2026-11-28T21:30:00Z"), end: nil, precision: .minute, approximate: false, timeZone: stockholm),
      writtenDown: utc("2026-11-28T22:05:00Z"), amendedAt: utc("2026-12-01T09:00:00Z"), title: "Hot vid dörren",
      place: "Storgatan 1, Stockholm", categories: ["threat", "stalking-or-surveillance"],
      people: [.init(name: "Marko", role: "perpetrator"), .init(name: "Anna", role: "witness")],
      narrative: narrative, injuries: "Blåmärke på armen",
      amounts: [.init(kind: "demanded", amount: "2500", currency: "SEK")], policeReference: "5000-K123456-26",
      messageNumbers: [1, 2], exhibitNumbers: [1, 2],
      earlierVersions: [.init(writtenAt: utc("2026-11-28T22:05:00Z"), title: "Hot", narrative: "Första versionen.")])
    let second = DossierModel.Incident(
      number: 2,
      happened: .init(
        start: utc("2026-08-31T22:00:00Z"), end: nil, precision: .month, approximate: true, timeZone: stockholm),
      writtenDown: utc("2026-11-29T10:00:00Z"), amendedAt: nil, title: "Passet togs", place: nil,
      categories: ["documents-taken"], people: [], narrative: "Han tog mitt pass.", injuries: nil, amounts: [],
      policeReference: nil, messageNumbers: [], exhibitNumbers: [], earlierVersions: [])
    let messages = [
      DossierModel.MessageItem(
        number: 1, channel: "sms", direction: "received", from: "Marko (+46701234567)", to: ["+46709876543"],
        sentAt: utc("2026-11-28T21:15:00Z"), timeAmbiguous: false, subject: nil, text: messageText,
        exhibitNumbers: [2], provenance: "sms-20261128.xml, <sms> 34", incidentNumber: 1),
      DossierModel.MessageItem(
        number: 2, channel: "whatsapp", direction: "received", from: "Marko", to: [],
        sentAt: utc("2026-10-25T00:30:00Z"), timeAmbiguous: true, subject: nil, text: "Natten då klockan ställdes",
        exhibitNumbers: [], provenance: "WhatsApp Chat.txt, line 12", incidentNumber: 1),
    ]
    let exhibits = hashes.enumerated().map { index, hash in
      DossierModel.Exhibit(
        number: index + 1, fileName: "exhibits/0\(index + 1)-file.jpg", originalName: "IMG_\(index).jpg",
        mediaType: "image/jpeg", size: 123_456, sha256: hash, capture: "2026-11-28 22:30:15 +01:00",
        addedAt: utc("2026-11-29T08:00:00Z"))
    }
    return DossierModel(
      language: language, personName: "Sara Exempel", periodStart: utc("2026-08-31T22:00:00Z"),
      periodEnd: utc("2026-11-28T22:00:00Z"), producedAt: utc("2026-12-02T12:00:00Z"), timeZone: stockholm,
      incidents: [first, second],
      people: [
        .init(
          name: "Marko", aliases: ["M"], phones: ["+46701234567"], emails: ["marko@example.com"],
          handles: ["@marko_tg"], relation: "ex",
          incidentNumbers: [1], messageNumbers: [1, 2])
      ],
      messages: messages, exhibits: exhibits,
      integrity: .init(
        headSequence: 42, headHash: hashes[0], signature: String(repeating: "ab", count: 64),
        signingKeyFingerprint: "ed25519:1234 5678 9abc", withheldRecordCount: 3, problems: [],
        clockNotices: ["Record 7 is earlier than record 6"],
        anchors: [.init(sequence: 40, code: "40-K3M9-PQ2X-7TZB-4HWN", madeAt: utc("2026-11-30T18:00:00Z"))],
        unanchoredRecords: 2),
      includeHelpPage: help)
  }

  static func pages(_ text: String) -> [[String]] {
    text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { page in
      Array(page.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func everyHeadingAndLabelIsThere(language: DossierModel.Language) {
    let text = DossierText.render(Self.model(language))
    let strings = DossierStrings(language: language)
    let headings = [
      strings.title, strings.timelineHeading, strings.peopleHeading, strings.incidentsHeading,
      strings.messagesHeading, strings.exhibitsHeading, strings.amendmentsHeading, strings.integrityHeading,
      strings.helpHeading, "#1 – Hot vid dörren", strings.exhibit(1), strings.exhibit(2),
      "evidence verify-export", strings.withheld(3), strings.anchorsHeading, "40-K3M9-PQ2X-7TZB-4HWN",
      strings.unanchored(2), strings.handles, "@marko_tg",
    ]
    for heading in headings { #expect(text.contains(heading), "\(heading)") }
    let expected: [String] =
      language == .sv
      ? [
        "28 november 2026 kl. 22:30", "ungefär september 2026", "gärningsperson", "hot", "krävt 2500 SEK",
        "ändrad den 1 december 2026 kl. 10:00", "Inträffade:", "Skrevs ner:", "mottaget", "Bilaga 1",
        "3 poster i dagboken ingår inte i detta utdrag", "Dagboken fram till post 40: 40-K3M9-PQ2X-7TZB-4HWN",
        "2 poster är ännu inte förankrade",
      ]
      : [
        "28 November 2026, 22:30", "about September 2026", "perpetrator", "threat", "demanded 2500 SEK",
        "amended on 1 December 2026, 10:00", "Happened:", "Written down:", "received", "Exhibit 1",
        "3 records of the journal are not part of this export",
        "The journal up to record 40: 40-K3M9-PQ2X-7TZB-4HWN", "2 records are not yet anchored",
      ]
    for phrase in expected { #expect(text.contains(phrase), "\(phrase)") }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func textsAreKeptWhole(language: DossierModel.Language) {
    let text = DossierText.render(Self.model(language))
    var rest = text[...]
    for word in Self.narrativeWords {
      guard let found = rest.range(of: word) else {
        Issue.record("narrative word \(word) missing or out of order")
        return
      }
      rest = rest[found.upperBound...]
    }
    #expect(!text.contains(Self.longWord))
    #expect(text.replacingOccurrences(of: "\n  ", with: "").contains(Self.longWord))
    for line in Self.messageText.split(separator: "\n") where line != Self.longLine {
      #expect(text.contains("  | \(line)\n"), "\(line)")
    }
    #expect(text.contains("  | سأجدك\n"))
    #expect(text.contains("  | Я тебя найду\n"))
    #expect(!text.contains(Self.longLine))
    let long = Array(Self.longLine)
    let split = "  | \(String(long[0..<74]))\n  + \(String(long[74..<148]))\n  + \(String(long[148...]))\n"
    #expect(text.contains(split))
    for hash in Self.hashes { #expect(text.contains(hash)) }
    #expect(text.contains("\n      \(Self.hashes[0])\n"))
  }

  @Test(arguments: DossierModel.Language.allCases)
  func everyPageHasTheLayout(language: DossierModel.Language) {
    let text = DossierText.render(Self.model(language))
    let pages = Self.pages(text)
    #expect(pages.count > 8)
    #expect(text.filter { $0 == "\u{0C}" }.count == pages.count - 1)
    #expect(text.hasSuffix("\n"))
    let word = language == .sv ? "Sida" : "Page"
    let of = language == .sv ? "av" : "of"
    #expect(text.contains("\(word) 1 \(of) \(pages.count)"))
    for (index, page) in pages.enumerated() {
      #expect(page.count == DossierText.linesPerPage)
      #expect(page.first == pages[0].first)
      #expect(page.dropFirst().first == "")
      #expect(page.last?.trimmingCharacters(in: .whitespaces) == "\(word) \(index + 1) \(of) \(pages.count)")
      for line in page { #expect(line.count <= DossierText.lineWidth, "\(line)") }
    }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func anAmbiguousTimeIsMarked(language: DossierModel.Language) {
    let text = DossierText.render(Self.model(language))
    let marked =
      language == .sv
      ? "25 oktober 2026 kl. 02:30:00 (UTC+02:00) – TVETYDIG TID"
      : "25 October 2026, 02:30:00 (UTC+02:00) – AMBIGUOUS TIME"
    #expect(text.replacingOccurrences(of: "\n      ", with: " ").contains(marked))
  }

  @Test func theHelpPageFollowsTheFlag() {
    for language in DossierModel.Language.allCases {
      let strings = DossierStrings(language: language)
      let with = DossierText.render(Self.model(language, help: true))
      let without = DossierText.render(Self.model(language, help: false))
      #expect(with.contains(strings.helpHeading) && with.contains("020-50 50 50"))
      #expect(!without.contains(strings.helpHeading) && !without.contains("020-50 50 50"))
      #expect(Self.pages(with).count == Self.pages(without).count + 1)
    }
  }

  @Test func renderingIsDeterministic() {
    for language in DossierModel.Language.allCases {
      #expect(DossierText.render(Self.model(language)) == DossierText.render(Self.model(language)))
    }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func supportTextListsEveryNumber(language: DossierModel.Language) {
    let text = DossierText.supportText(language: language)
    for number in Self.numbers { #expect(text.contains(number), "\(number)") }
    let joined = text.replacingOccurrences(of: "\n" + String(repeating: " ", count: 16), with: " ")
    #expect(joined.contains(language == .sv ? "syns inte på telefonräkningen" : "not shown on the phone bill"))
    for line in text.split(separator: "\n") { #expect(line.count <= DossierText.lineWidth) }
  }

  @Test func wrappingBreaksOnlyOverlongWords() {
    let lines = DossierText.wrap("kort " + Self.longWord + " slut", first: "", rest: "  ")
    #expect(lines.allSatisfy { $0.count <= DossierText.lineWidth })
    #expect(lines.joined().replacingOccurrences(of: " ", with: "") == "kort" + Self.longWord + "slut")
  }
}
