import EvidencePDF
import EvidenceVault
import Foundation
import Testing

@testable import EvidenceReport

@Suite struct DossierPDFTests {
  typealias Fixture = DossierPDFFixture

  /// Renders the fixture and returns the package folder and the PDF. With DOSSIER_PDF_KEEP=<folder> in the
  /// environment, a copy of each PDF is kept there to look at.
  static func render(_ model: DossierModel) throws -> (folder: URL, pdf: URL) {
    let folder = try Fixture.packageFolder()
    let pdf = folder.appendingPathComponent("dossier.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: pdf)
    if let keep = ProcessInfo.processInfo.environment["DOSSIER_PDF_KEEP"] {
      let name =
        "\(model.language.rawValue)-\(model.personName == nil ? "anonymous" : "named")"
        + "\(model.includeHelpPage ? "" : "-nohelp").pdf"
      let copy = URL(fileURLWithPath: keep).appendingPathComponent(name)
      try? FileManager.default.removeItem(at: copy)
      try? FileManager.default.copyItem(at: pdf, to: copy)
    }
    return (folder, pdf)
  }

  /// The text of each page, as pdftotext reads it.
  static func pages(_ pdf: URL) throws -> [String] {
    let text = try Fixture.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"])
    var pages = text.components(separatedBy: "\u{0C}")
    if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
    return pages
  }

  /// Runs of white space as one space, so wrapped lines read as one text.
  static func flat(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  static func pdfInfo(_ pdf: URL) throws -> [String: String] {
    var info: [String: String] = [:]
    for line in try Fixture.run("pdfinfo", [pdf.path]).split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      info[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return info
  }

  @Test(arguments: DossierModel.Language.allCases)
  func everySectionStartsOnThePageTheContentsGive(language: DossierModel.Language) throws {
    let strings = DossierStrings(language: language)
    let (folder, pdf) = try Self.render(Fixture.model(language))
    defer { try? FileManager.default.removeItem(at: folder) }
    let pages = try Self.pages(pdf)
    let headings = [
      strings.timelineHeading, strings.peopleHeading, strings.incidentsHeading, strings.messagesHeading,
      strings.exhibitsHeading, strings.amendmentsHeading, strings.integrityHeading, strings.helpHeading,
    ]
    // The cover's rows read as rows with -layout: "Tidslinje … sida 2".
    let layout = try Fixture.run("pdftotext", ["-layout", "-enc", "UTF-8", "-l", "1", pdf.path, "-"])
    let cover = Self.flat(layout)
    #expect(cover.contains(strings.title))
    #expect(cover.contains(strings.contentsHeading))
    var previous = 0
    for heading in headings {
      // The first line under the running header is the section's heading.
      let found = pages.indices.first { index in
        index > 0 && pages[index].split(separator: "\n").dropFirst().first.map(String.init) == heading
      }
      let page = try #require(found, "\(heading) starts no page")
      #expect(page > previous, "\(heading) is out of order")
      previous = page
      #expect(cover.contains("\(heading) \(strings.page) \(page + 1)"), "contents entry for \(heading)")
    }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func everyTextIsThereInOrder(language: DossierModel.Language) throws {
    let strings = DossierStrings(language: language)
    let (folder, pdf) = try Self.render(Fixture.model(language))
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = Self.flat(try Self.pages(pdf).joined(separator: "\n"))
    let incidents = try #require(text.range(of: strings.incidentsHeading, options: .backwards))
    var rest = text[incidents.upperBound...]
    let inOrder =
      ["#3 – Passet togs", "#2 – Slag natten då klockan ställdes", "#1 – Hot vid dörren"]
      + Fixture.narrativeSentences + ["M1 ·", "Öppna dörren", "sista raden", "M2 ·", strings.exhibit(1)]
    for phrase in inOrder {
      guard let found = rest.range(of: phrase) else {
        Issue.record("\(phrase) missing or out of order")
        return
      }
      rest = rest[found.upperBound...]
    }
    let expected =
      [
        Fixture.cyrillic, Fixture.vietnamese, Fixture.thai, Fixture.tigrinya, "Första versionen av händelsen.",
        strings.withheld(3), "evidence verify-export", "Record 7 is earlier than record 6", "ed25519:1234 5678 9abc",
        "5000-K123456-26", "Storgatan 1, Stockholm", "sms-20261128.xml, <sms> 34", "020-50 50 50", "skärmbild.png",
        "exhibits/03-voice.m4a", "audio/mp4", strings.noPreview, strings.anchorsHeading, "40-K3M9-PQ2X-7TZB-4HWN",
      ]
      + (language == .sv
        ? [
          "25 oktober 2026 kl. 02:30", "ungefär september 2026",
          "25 oktober 2026 kl. 02:30:00 (UTC+02:00) – TVETYDIG TID",
          "krävt 2500 SEK", "ändrad den 1 december 2026 kl. 10:00", "Sida 1 av",
        ]
        : [
          "25 October 2026, 02:30", "about September 2026", "25 October 2026, 02:30:00 (UTC+02:00) – AMBIGUOUS TIME",
          "demanded 2500 SEK", "amended on 1 December 2026, 10:00", "Page 1 of",
        ])
    for phrase in expected { #expect(text.contains(phrase), "\(phrase)") }
    // Arabic comes back from pdftotext in logical order, word by word.
    for word in Fixture.arabic.split(separator: " ") { #expect(text.contains(word), "\(word)") }
    // The 200-character word is broken across lines but kept whole and in order.
    #expect(text.replacingOccurrences(of: " ", with: "").contains(Fixture.longWord))
    // Every SHA-256 is whole on one line, in the index and beside the thumbnail.
    for hash in Fixture.hashes { #expect(text.components(separatedBy: hash).count - 1 >= 2, "\(hash)") }
    #expect(text.contains(String(repeating: "ab", count: 32)))
  }

  @Test(arguments: DossierModel.Language.allCases)
  func everyPageHasHeaderAndFooter(language: DossierModel.Language) throws {
    let strings = DossierStrings(language: language)
    let (folder, pdf) = try Self.render(Fixture.model(language))
    defer { try? FileManager.default.removeItem(at: folder) }
    let pages = try Self.pages(pdf)
    let info = try Self.pdfInfo(pdf)
    #expect(pages.count > 5)
    #expect(info["Pages"] == String(pages.count))
    #expect(info["Page size"]?.hasPrefix("595.276 x 841.89") == true)
    for (index, page) in pages.enumerated() {
      #expect(page.hasPrefix(strings.title), "page \(index + 1) header")
      #expect(Self.flat(page).contains(strings.pageFooter(index + 1, of: pages.count)), "page \(index + 1) footer")
    }
  }

  @Test(arguments: DossierModel.Language.allCases)
  func failedAttemptsToOpenTheJournalHaveTheirSectionOnlyWhenIncluded(language: DossierModel.Language) throws {
    let strings = DossierStrings(language: language)
    var model = Fixture.model(language)
    let without = try Self.render(model)
    defer { try? FileManager.default.removeItem(at: without.folder) }
    #expect(!Self.flat(try Self.pages(without.pdf).joined()).contains(strings.accessHeading))

    let failedAt = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30 01:53 in Stockholm
    model.accessAttempts = [
      DossierModel.AccessItem(failedAt: failedAt, command: "list", viaTerminal: true),
      DossierModel.AccessItem(failedAt: failedAt.addingTimeInterval(60), command: "person add", viaTerminal: false),
    ]
    let with = try Self.render(model)
    defer { try? FileManager.default.removeItem(at: with.folder) }
    let text = Self.flat(try Self.pages(with.pdf).joined())
    #expect(text.contains(strings.accessHeading))
    #expect(text.contains(Self.flat(strings.accessText)))
    for (command, terminal) in [("list", true), ("person add", false)] {
      let line = strings.accessLine(failedAt: "", command: command, viaTerminal: terminal)
      #expect(text.contains(Self.flat(line)), "\(line)")
    }
    let textDossier = DossierText.render(model)
    #expect(textDossier.contains(strings.accessHeading))
    #expect(textDossier.contains("\"person add\""))
  }

  @Test func metadataNamesThePersonOnlyWhenGiven() throws {
    let strings = DossierStrings(language: .sv)
    let (folder, pdf) = try Self.render(Fixture.model(.sv))
    defer { try? FileManager.default.removeItem(at: folder) }
    let info = try Self.pdfInfo(pdf)
    #expect(info["Title"] == strings.title)
    #expect(info["Author"] == "Sara Exempel")
    #expect(info["CreationDate"]?.contains("2026") == true)
    let (anonymousFolder, anonymous) = try Self.render(Fixture.model(.sv, name: nil))
    defer { try? FileManager.default.removeItem(at: anonymousFolder) }
    let anonymousInfo = try Self.pdfInfo(anonymous)
    #expect(anonymousInfo["Author"] == nil)
    #expect(!Self.flat(try Self.pages(anonymous).joined()).contains("Sara Exempel"))
  }

  @Test func theJPEGIsEmbeddedAsJPEGAndThePNGAsAnImage() throws {
    let (folder, pdf) = try Self.render(Fixture.model(.en))
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = try Fixture.run("pdfimages", ["-list", pdf.path]).split(separator: "\n").dropFirst(2)
      .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    // page num type width height color comp bpc enc ...
    let jpegs = rows.filter { $0.count > 8 && $0[8] == "jpeg" }
    #expect(jpegs.count == 1)
    #expect(jpegs.first?[3] == "120" && jpegs.first?[4] == "90")
    #expect(rows.contains { $0.count > 8 && $0[3] == "96" && $0[4] == "64" && $0[8] == "image" })
    // The JPEG's bytes are in the PDF unchanged.
    let jpeg = try Data(contentsOf: folder.appendingPathComponent("exhibits/01-photo.jpg"))
    #expect(try Data(contentsOf: pdf).range(of: jpeg) != nil)
  }

  @Test func contentsLinksAndBookmarksAreThere() throws {
    let (folder, pdf) = try Self.render(Fixture.model(.en))
    defer { try? FileManager.default.removeItem(at: folder) }
    let bytes = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
    // Eight contents entries and three timeline numbers link inside the document.
    #expect(bytes.components(separatedBy: "/Subtype /Link").count - 1 == 11)
    for name in ["timeline", "people", "incidents", "messages", "exhibits", "amendments", "integrity", "help"] {
      #expect(bytes.contains("/Dest (\(name))"), "link to \(name)")
    }
    for number in 1...3 { #expect(bytes.contains("/Dest (incident-\(number))")) }
    // The outline: eight sections at the top, the three incidents under "Incidents in detail".
    #expect(bytes.contains("/Type /Outlines"))
    #expect(bytes.contains("/Count -8"))
    #expect(bytes.contains("<< /Title (Incidents in detail)"))
    #expect(bytes.contains("/Count -3"))
    #expect(bytes.contains("/Names"))
  }

  @Test func theHelpPageFollowsTheFlag() throws {
    for language in DossierModel.Language.allCases {
      let strings = DossierStrings(language: language)
      let (withFolder, with) = try Self.render(Fixture.model(language, help: true))
      let (withoutFolder, without) = try Self.render(Fixture.model(language, help: false))
      defer {
        try? FileManager.default.removeItem(at: withFolder)
        try? FileManager.default.removeItem(at: withoutFolder)
      }
      let withText = Self.flat(try Self.pages(with).joined())
      let withoutText = Self.flat(try Self.pages(without).joined())
      #expect(withText.contains(strings.helpHeading) && withText.contains("020-50 50 50"))
      #expect(!withoutText.contains(strings.helpHeading) && !withoutText.contains("020-50 50 50"))
    }
  }

  @Test func theSameModelGivesTheSameBytes() throws {
    let model = Fixture.model(.sv)
    let (folder, pdf) = try Self.render(model)
    defer { try? FileManager.default.removeItem(at: folder) }
    let again = folder.appendingPathComponent("again.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: again)
    #expect(try Data(contentsOf: pdf) == Data(contentsOf: again))
  }

  @Test func missingExhibitsAndAnEmptyModelStillRender() throws {
    var model = Fixture.model(.en)
    let (folder, _) = try Self.render(model)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.removeItem(at: folder.appendingPathComponent("exhibits"))
    let pdf = folder.appendingPathComponent("missing.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: pdf)
    #expect(Self.flat(try Self.pages(pdf).joined()).contains("No preview"))
    model.incidents = []
    model.messages = []
    model.exhibits = []
    model.people = []
    model.periodStart = nil
    model.periodEnd = nil
    let empty = folder.appendingPathComponent("empty.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: empty)
    let text = Self.flat(try Self.pages(empty).joined())
    #expect(text.contains("No incidents in this export.") && text.contains("period unknown"))
  }

  @Test func theFileIsPrivateAndAFailureSaysWhere() throws {
    let (folder, pdf) = try Self.render(Fixture.model(.en))
    defer { try? FileManager.default.removeItem(at: folder) }
    let attributes = try FileManager.default.attributesOfItem(atPath: pdf.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let nowhere = folder.appendingPathComponent("no-such-folder/dossier.pdf")
    #expect {
      try DossierPDF.render(Fixture.model(.en), exhibitsIn: folder, to: nowhere)
    } throws: { error in
      (error as? VaultError)?.code == .fileSystem && "\(error)".contains("no-such-folder")
    }
  }
}

@Suite struct DossierPDFLayoutTests {
  typealias Fixture = DossierPDFFixture

  /// The fixture's model with `count` more incidents, one every `days` days, each with a message.
  static func longModel(count: Int, days: Double) -> DossierModel {
    var model = Fixture.model(.sv)
    let start = Fixture.utc("2025-01-06T10:00:00Z")
    let categories = ["threat", "physical-violence", "debt-or-money-taken", "restriction-of-movement"]
    for index in 0..<count {
      let at = start.addingTimeInterval(Double(index) * days * 86_400)
      var incident = model.incidents[0]
      incident.number = 10 + index
      incident.title = "Händelse \(index)"
      incident.happened = .init(
        start: at, end: nil, precision: .minute, approximate: false, timeZone: Fixture.stockholm)
      incident.categories = [categories[index % categories.count]]
      incident.narrative = String(repeating: "Han ringde igen och krävde pengar. ", count: 8 + index % 20)
      model.incidents.append(incident)
      model.messages.append(
        .init(
          number: 3 + index, channel: "sms", direction: "received", from: "Marko", to: [], sentAt: at,
          timeAmbiguous: false, subject: nil, text: "Betala nu \(index)", exhibitNumbers: [], provenance: "sms.xml",
          incidentNumber: incident.number))
    }
    model.periodStart = start
    return model
  }

  @Test func noWordCrossesTheRightMarginAndLongSectionsFlow() throws {
    let folder = try Fixture.packageFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pdf = folder.appendingPathComponent("dossier.pdf")
    try DossierPDF.render(Self.longModel(count: 60, days: 6), exhibitsIn: folder, to: pdf)
    if let keep = ProcessInfo.processInfo.environment["DOSSIER_PDF_KEEP"] {
      try? FileManager.default.removeItem(atPath: keep + "/sv-long.pdf")
      try? FileManager.default.copyItem(atPath: pdf.path, toPath: keep + "/sv-long.pdf")
    }
    let boxes = try Fixture.run("pdftotext", ["-bbox", pdf.path, "-"])
    // A4 is 595.28 points wide; the right margin is 20 mm (56.69 points) in from the edge.
    var widest = 0.0
    for line in boxes.split(separator: "\n") where line.contains("<word ") {
      guard let range = line.range(of: "xMax=\""), let end = line[range.upperBound...].firstIndex(of: "\"") else {
        continue
      }
      widest = max(widest, Double(line[range.upperBound..<end]) ?? 0)
    }
    #expect(widest > 400 && widest <= 595.28 - 56.69 + 0.5, "widest word ends at \(widest)")
    let text = try Fixture.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"])
    #expect(text.contains("Händelser och meddelanden per månad"))
    for index in [0, 30, 59] { #expect(text.contains("#\(10 + index) – Händelse \(index)")) }
    #expect(text.components(separatedBy: "\u{0C}").count > 30)
  }

  @Test func aPhoneSizedExifBlockIsSkippedAndABrokenJPEGGetsABox() throws {
    let folder = try Fixture.packageFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let exhibits = folder.appendingPathComponent("exhibits")
    let photo = [UInt8](try Data(contentsOf: exhibits.appendingPathComponent("01-photo.jpg")))
    // An APP1 (Exif) segment of 60,000 bytes before the frame header, as phones write.
    let length = 60_000
    let exif: [UInt8] =
      [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + Array("Exif".utf8) + [0, 0]
      + [UInt8](repeating: 0, count: length - 8)
    let withExif = Array(photo[0..<2]) + exif + Array(photo[2...])
    try Data(withExif).write(to: exhibits.appendingPathComponent("01-photo.jpg"))
    // The start of a JPEG and nothing else.
    try Data(photo.prefix(40)).write(to: exhibits.appendingPathComponent("02-circle.png"))
    var model = Fixture.model(.en)
    model.exhibits[1].mediaType = "image/jpeg"
    let pdf = folder.appendingPathComponent("dossier.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: pdf)
    let list = try Fixture.run("pdfimages", ["-list", pdf.path])
    let rows = list.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
    #expect(rows.count == 1)
    #expect(rows.first?[3] == "120" && rows.first?[4] == "90" && rows.first?[8] == "jpeg")
    #expect(try Data(contentsOf: pdf).range(of: Data(withExif)) != nil)
    let text = try Fixture.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"])
    #expect(text.components(separatedBy: "No preview").count - 1 == 2)
  }

  /// The smallest box around the pixels of a page that `matches` accepts: (left, top, right, bottom).
  static func box(_ ppm: Data, _ matches: (UInt8, UInt8, UInt8) -> Bool) -> (Int, Int, Int, Int)? {
    let bytes = [UInt8](ppm)
    // "P6\n<width> <height>\n255\n", then RGB.
    var fields: [Int] = []
    var at = 2
    while fields.count < 3, at < bytes.count {
      while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A { at += 1 }
      var value = 0
      while at < bytes.count, (0x30...0x39).contains(bytes[at]) {
        value = value * 10 + Int(bytes[at] - 0x30)
        at += 1
      }
      fields.append(value)
    }
    at += 1
    guard fields.count == 3, bytes.count >= at + fields[0] * fields[1] * 3 else { return nil }
    var found: (Int, Int, Int, Int)?
    for y in 0..<fields[1] {
      for x in 0..<fields[0] {
        let pixel = at + (y * fields[0] + x) * 3
        guard matches(bytes[pixel], bytes[pixel + 1], bytes[pixel + 2]) else { continue }
        let old = found ?? (x, y, x, y)
        found = (min(old.0, x), min(old.1, y), max(old.2, x), max(old.3, y))
      }
    }
    return found
  }

  @Test func aPhotoIsTurnedUprightByItsExifOrientation() throws {
    let folder = try Fixture.packageFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = try #require(Bundle.module.url(forResource: "halves", withExtension: "jpg", subdirectory: "Fixtures"))
    let stored = [UInt8](try Data(contentsOf: source))
    // Stored 120 × 60, magenta left, cyan right; orientation 6: turn a quarter clockwise to show, so 60 × 120
    // with magenta on top. Big-endian TIFF, IFD0 at 8 with one entry: 0x0112 SHORT 1 = 6.
    let tiff: [UInt8] = [
      0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
    ]
    let payload = Array("Exif".utf8) + [0, 0] + tiff
    let app1: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    try Data(Array(stored[0..<2]) + app1 + Array(stored[2...])).write(
      to: folder.appendingPathComponent("exhibits/01-photo.jpg"))
    var model = Fixture.model(.en)
    model.incidents = [model.incidents[2]]
    model.incidents[0].exhibitNumbers = [1]
    model.incidents[0].narrative = "Short."
    model.incidents[0].messageNumbers = []
    let pdf = folder.appendingPathComponent("dossier.pdf")
    try DossierPDF.render(model, exhibitsIn: folder, to: pdf)
    let page = try Fixture.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).components(separatedBy: "\u{0C}")
      .firstIndex { $0.contains("Exhibit 1 – exhibits/01-photo.jpg") }
    let number = try #require(page) + 1
    let image = folder.appendingPathComponent("page")
    _ = try Fixture.run(
      "pdftoppm", ["-r", "40", "-f", "\(number)", "-l", "\(number)", "-singlefile", pdf.path, image.path])
    let ppm = try Data(contentsOf: image.appendingPathExtension("ppm"))
    let magenta = try #require(Self.box(ppm) { $0 > 200 && $1 < 80 && $2 > 200 })
    let cyan = try #require(Self.box(ppm) { $0 < 80 && $1 > 200 && $2 > 200 })
    #expect(magenta.3 <= cyan.1 + 1, "magenta \(magenta) is above cyan \(cyan)")
    let all = (min(magenta.0, cyan.0), magenta.1, max(magenta.2, cyan.2), cyan.3)
    #expect(all.3 - all.1 > all.2 - all.0, "the picture is taller than wide: \(all)")
  }
}
