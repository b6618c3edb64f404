import EvidenceVault
import Foundation
import Testing

@testable import EvidenceReport

/// A dossier model with the awkward cases, and a package folder holding its exhibits.
enum DossierPDFFixture {
  static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? .gmt
  /// 200 characters without a space.
  static let longWord = String(repeating: "abcdefghijklmnopqrstuvwxy", count: 8)
  static let narrativeSentences = [
    "Han stod utanför dörren och sade att han skulle komma tillbaka.",
    "Sedan gick han därifrån och jag låste dörren.",
    "Det var mörkt ute och jag var rädd.",
  ]
  static let arabic = "سأجدك أينما كنت"
  static let cyrillic = "Я тебя найду, где бы ты ни была"
  static let thai = "ฉันจะหาเธอให้เจอ"
  static let tigrinya = "ክረኽበኪ እየ"
  static let vietnamese = "Tôi sẽ tìm thấy bạn dù bạn ở đâu"
  static let messageText = "Öppna dörren\n\n\(arabic)\n\(cyrillic)\nsista raden"
  static let hashes = [
    String(repeating: "0123456789abcdef", count: 4), String(repeating: "fedcba9876543210", count: 4),
    String(repeating: "00112233445566778899aabbccddeeff", count: 2),
  ]

  static func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text) ?? .distantPast
  }

  static func model(_ language: DossierModel.Language, name: String? = "Sara Exempel", help: Bool = true)
    -> DossierModel
  {
    let narrative =
      narrativeSentences[0] + " " + longWord + "\n\n" + narrativeSentences[1] + " "
      + String(repeating: narrativeSentences[2] + " ", count: 40) + "\n\(thai)\n\(tigrinya)\n\(vietnamese)"
    let threat = DossierModel.Incident(
      number: 1,
      happened: .init(
        start: utc("2026-11-28T21:30:00Z"), end: nil, precision: .minute, approximate: false, timeZone: stockholm),
      writtenDown: utc("2026-11-28T22:05:00Z"), amendedAt: utc("2026-12-01T09:00:00Z"), title: "Hot vid dörren",
      place: "Storgatan 1, Stockholm", categories: ["threat", "stalking-or-surveillance"],
      people: [.init(name: "Marko", role: "perpetrator"), .init(name: "Anna", role: "witness")],
      narrative: narrative, injuries: "Blåmärke på armen",
      amounts: [.init(kind: "demanded", amount: "2500", currency: "SEK")], policeReference: "5000-K123456-26",
      messageNumbers: [1, 2], exhibitNumbers: [1, 2, 3],
      earlierVersions: [
        .init(writtenAt: utc("2026-11-28T22:05:00Z"), title: "Hot", narrative: "Första versionen av händelsen.")
      ])
    // 02:30 on the night the clocks go back: the first 02:30 (CEST).
    let dstNight = DossierModel.Incident(
      number: 2,
      happened: .init(
        start: utc("2026-10-25T00:30:00Z"), end: nil, precision: .minute, approximate: false, timeZone: stockholm),
      writtenDown: utc("2026-10-25T08:00:00Z"), amendedAt: nil, title: "Slag natten då klockan ställdes",
      place: nil, categories: ["physical-violence"], people: [.init(name: "Marko", role: "perpetrator")],
      narrative: "Han slog mig i köket.", injuries: nil, amounts: [], policeReference: nil, messageNumbers: [],
      exhibitNumbers: [], earlierVersions: [])
    let approximate = DossierModel.Incident(
      number: 3,
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
    let files = [
      ("exhibits/01-photo.jpg", "IMG_0001.jpg", "image/jpeg"), ("exhibits/02-circle.png", "skärmbild.png", "image/png"),
      ("exhibits/03-voice.m4a", "röstmeddelande.m4a", "audio/mp4"),
    ]
    let exhibits = files.enumerated().map { index, file in
      DossierModel.Exhibit(
        number: index + 1, fileName: file.0, originalName: file.1, mediaType: file.2, size: 1_234,
        sha256: hashes[index], capture: index == 0 ? "2026-11-28 22:30:15 +01:00, Apple iPhone 12" : nil,
        addedAt: utc("2026-11-29T08:00:00Z"))
    }
    return DossierModel(
      language: language, personName: name, periodStart: utc("2026-08-31T22:00:00Z"),
      periodEnd: utc("2026-11-28T22:00:00Z"), producedAt: utc("2026-12-02T12:00:00Z"), timeZone: stockholm,
      incidents: [approximate, dstNight, threat],
      people: [
        .init(
          name: "Marko", aliases: ["M"], phones: ["+46701234567"], emails: ["marko@example.com"], relation: "ex",
          incidentNumbers: [1, 2], messageNumbers: [1, 2])
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

  /// A fresh package folder with exhibits/01-photo.jpg, 02-circle.png and 03-voice.m4a.
  static func packageFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-test-\(UUID().uuidString)")
    let exhibits = folder.appendingPathComponent("exhibits")
    try FileManager.default.createDirectory(at: exhibits, withIntermediateDirectories: true)
    for (resource, name) in [("photo.jpg", "01-photo.jpg"), ("circle.png", "02-circle.png")] {
      let source = try #require(
        Bundle.module.url(forResource: resource, withExtension: nil, subdirectory: "Fixtures"))
      try FileManager.default.copyItem(at: source, to: exhibits.appendingPathComponent(name))
    }
    try Data("not a picture".utf8).write(to: exhibits.appendingPathComponent("03-voice.m4a"))
    return folder
  }

  /// Runs a poppler tool and returns what it printed.
  static func run(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    return String(decoding: output, as: UTF8.self)
  }
}
