import EvidenceReport
import Foundation
import Testing

@testable import EvidenceVault

@Suite("Text from files and people cannot drive the terminal")
struct TerminalSafeTextTests {
  static let stockholm = PersonalTimeZone.resolve(environment: [:])

  /// Clear the screen, move the cursor home, paint red; a C1 CSI (U+009B); a carriage return over the line.
  static let hostile = "a\u{1B}[2J\u{1B}[H\u{1B}[31mb\u{9B}31mc\rd\u{07}\u{7F}\u{00}"

  /// True when `text` holds a C0 or C1 control character other than line break and tab.
  static func holdsControls(_ text: String, allowingLineBreaks: Bool = true) -> Bool {
    text.unicodeScalars.contains { scalar in
      if allowingLineBreaks && (scalar == "\n" || scalar == "\t") { return false }
      return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
  }

  @Test("Every control character is shown as a visible escape; everything else is left as it is")
  func controlsAreEscaped() {
    #expect(
      TerminalSafeText.line(Self.hostile) == "a\\e[2J\\e[H\\e[31mb\\u{9B}31mc\\rd\\x07\\x7f\\x00")
    #expect(TerminalSafeText.line("one\ntwo\tthree") == "one\\ntwo\\tthree")
    #expect(TerminalSafeText.text("one\ntwo\tthree\r\u{1B}]0;title\u{07}") == "one\ntwo\tthree\\r\\e]0;title\\x07")
    for plain in ["Storgatan 5, Malmö", "Привет 👋🏽", "مرحبا \u{200F}", "C:\\Users\\anna", ""] {
      #expect(TerminalSafeText.line(plain) == plain)
      #expect(TerminalSafeText.isSafeLine(plain))
    }
    #expect(!TerminalSafeText.isSafeLine(Self.hostile))
    // Every C0 and C1 character, alone.
    for value in Array(0x00...0x1F) + Array(0x7F...0x9F) {
      let scalar = Unicode.Scalar(UInt8(value))
      let escaped = TerminalSafeText.line(String(Character(scalar)))
      #expect(!Self.holdsControls(escaped, allowingLineBreaks: false), "U+\(String(value, radix: 16))")
      #expect(escaped.hasPrefix("\\"))
    }
  }

  static func exhibit(named name: String, camera: String) -> (ExhibitHistory, JournalIndex) {
    var attachment = Attachment(
      blob: String(repeating: "ab", count: 32), sha256: String(repeating: "cd", count: 32), size: 1_234,
      mediaType: "image/jpeg", originalName: name, capture: CaptureMetadata(make: camera, model: "X\u{1B}[8m"))
    attachment.stamp = RecordStamp(id: "a1", salt: "", recordedAt: "2026-11-28T20:00:00Z")
    var index = JournalIndex(records: [])
    index.add(.attachment(attachment), sequence: 1)
    return (index.exhibits[0], index)
  }

  @Test("An exhibit's name and camera from the file are printed escaped, and kept exactly in the JSON")
  func exhibitNamesAreEscaped() throws {
    let (exhibit, index) = Self.exhibit(named: "photo\u{1B}[2J\u{1B}[1;1Hevidence: error: fake.jpg", camera: "Cam\r")
    let block = AttachmentText.block(exhibit, index: index, timeZone: Self.stockholm)
    #expect(!Self.holdsControls(block), "\(block.debugDescription)")
    #expect(block.contains("photo\\e[2J\\e[1;1Hevidence: error: fake.jpg"))
    #expect(block.contains("Cam\\r X\\e[8m"))
    let json = AttachmentText.json([exhibit], index: index)
    #expect(!json.contains("\u{1B}"))  // JSON escapes it as \u001b, and a reader gets the exact name back
    let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
    let attachment = decoded?.first?["attachment"] as? [String: Any]
    #expect(attachment?["originalName"] as? String == "photo\u{1B}[2J\u{1B}[1;1Hevidence: error: fake.jpg")
  }

  @Test("An entry's title, place, people and narrative are printed escaped, its line breaks kept")
  func entryTextsAreEscaped() throws {
    var person = Person(name: "Marko\u{1B}[31m", aliases: ["M\u{9B}2J"], relation: "boss\rX")
    person.stamp = RecordStamp(id: "p1", salt: "", recordedAt: "2026-11-28T20:00:00Z")
    var entry = Entry(
      occurred: Occurrence(
        start: Date(timeIntervalSince1970: 1_795_901_400), precision: .minute, timeZone: Self.stockholm),
      title: "Threats\u{1B}[2J", narrative: "Line one.\nLine two\u{1B}[A\u{1B}[Kfaked.\n\tIndented.",
      location: "Storgatan\u{1B}[8m 5", categories: [.threat],
      people: [Participant(person: "p1", role: .perpetrator)])
    entry.injuries = "Bruise\u{07}"
    entry.tags = ["tag\u{1B}"]
    entry.stamp = RecordStamp(id: "e1", salt: "", recordedAt: "2026-11-28T22:00:00Z")
    var index = JournalIndex(records: [])
    index.add(.person(person), sequence: 1)
    index.add(.entry(entry), sequence: 2)
    let history = try index.entry(number: 1)
    let line = EntryText.listLine(history)
    #expect(!Self.holdsControls(line, allowingLineBreaks: false), "\(line.debugDescription)")
    #expect(line.contains("Threats\\e[2J — Storgatan\\e[8m 5"))
    let full = EntryText.full(history, index: index, includeHistory: true, timeZone: Self.stockholm)
    #expect(!Self.holdsControls(full), "\(full.debugDescription)")
    #expect(full.contains("Line one.\nLine two\\e[A\\e[Kfaked.\n\tIndented."))
    #expect(full.contains("Marko\\e[31m (did it)"))
    #expect(full.contains("Bruise\\x07"))
    let personLine = EntryText.personLine(person)
    #expect(personLine == "Marko\\e[31m (M\\u{9B}2J) — boss\\rX")
  }

  @Test("A message's sender, subject and words are printed escaped, line by line")
  func messageTextsAreEscaped() {
    var message = Message(
      channel: .email, direction: .received, from: Message.Party(name: "Boss\u{1B}[31m", address: "x@example.org"),
      sentAt: Date(timeIntervalSince1970: 1_795_901_000),
      text: "Pay now.\r\u{1B}[2KYou are safe.\n\u{1B}]8;;http://x\u{07}link\u{1B}]8;;\u{07}\n")
    message.subject = "Re:\u{1B}[5m urgent"
    let block = MessageText.block(number: 1, message, index: JournalIndex(records: []), timeZone: Self.stockholm)
    #expect(!Self.holdsControls(block), "\(block.debugDescription)")
    #expect(block.contains("From: Boss\\e[31m (x@example.org)"))
    #expect(block.contains("Subject: Re:\\e[5m urgent"))
    #expect(block.contains("    | Pay now.\\r\\e[2KYou are safe.\n    | \\e]8;;http://x\\x07link\\e]8;;\\x07"))
  }
}

@Suite("Anchor codes typed back")
struct AnchorCodeParsingTests {
  @Test(
    "A number part that is huge, negative, signed or not ASCII digits is a clear error, never a trap",
    arguments: [
      "18446744073709551616-XXCC-5FEW-D1SX-4R9P", "18446744073709551615-XXCC-5FEW-D1SX-4R9P",
      "9223372036854775808-XXCC-5FEW-D1SX-4R9P", String(repeating: "9", count: 5_000) + "-XXCC-5FEW-D1SX-4R9P",
      "-17-XXCC-5FEW-D1SX-4R9P", "+17-XXCC-5FEW-D1SX-4R9P", "0x11-XXCC-5FEW-D1SX-4R9P", "1 7-XXCC-5FEW-D1SX-4R9P",
      "١٧-XXCC-5FEW-D1SX-4R9P", "17\u{1B}[2J-XXCC-5FEW-D1SX-4R9P", "-XXCC-5FEW-D1SX-4R9P",
    ])
  func hostileNumbersAreRefused(_ text: String) {
    do {
      _ = try AnchorCode.parse(text)
      Issue.record("\(text.prefix(60)) was accepted")
    } catch {
      #expect(error.code == .invalidInput)
      #expect(error.message.contains("is not an anchor code"))
      #expect(error.message.count < 200, "the message repeats all of what was typed")
    }
  }

  @Test("The largest number a code can name is read, and leading zeros are made canonical")
  func theLargestNumberAndLeadingZeros() throws {
    let largest = try AnchorCode.parse("9223372036854775807-XXCC-5FEW-D1SX-4R9P")
    #expect(largest.sequence == UInt64(Int64.max))
    #expect(Int(exactly: largest.sequence) != nil)
    #expect(try AnchorCode.parse("0017-XXCC-5FEW-D1SX-4R9P") == (17, "17-XXCC-5FEW-D1SX-4R9P"))
  }
}
