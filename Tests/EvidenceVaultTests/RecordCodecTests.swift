import Foundation
import Testing

@testable import EvidenceVault

/// `CanonicalJSONWriter` must write the very bytes `JSONEncoder` (sorted keys, slashes unescaped) writes: records
/// are hashed into the chain as stored, and vaults written before it must still verify.
@Suite struct RecordCodecTests {
  /// Strings that exercise every escape and every UTF-8 length.
  static let awkwardStrings: [String] = [
    "", " ", "plain", "Meddelande 1: du vet vad som händer om du inte betalar & tiger 😠",
    "quote \" backslash \\ slash / both \\/ end", "\u{0}\u{1}\u{7}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{E}\u{F}",
    "\u{10}\u{1B}\u{1F} \u{20}\u{7F}\u{80}\u{9F}\u{A0}", "line\r\nbreak\ttab", "ÅÄÖ åäö é e\u{301} ñ ß",
    "Привет мир", "مرحبا", "שלום", "中文字符", "👩‍👩‍👧‍👦 🇸🇪 👍🏽", "\u{2028}\u{2029}\u{FEFF}\u{FFFD}\u{10FFFF}",
    "<script>alert('x')</script>", "http://example.com/a?b=c&d=e#f", "\\u0000 is not a NUL",
    "trailing backslash \\", "\"", "\\", "/", "1e5", "null", "true", "{\"nested\":[1,2]}",
  ]

  static let stamp = RecordStamp(
    id: "6f1c2b9e-0d4a-4c1e-9b7a-2f3e4d5c6b7a", salt: "00112233445566778899aabbccddeeff",
    recordedAt: "2026-11-29T13:22:00Z")

  static func expectSameBytes(_ record: Record, sourceLocation: SourceLocation = #_sourceLocation) {
    let fast = RecordCodec.encode(record)
    let reference = RecordCodec.encodeWithJSONEncoder(record)
    #expect(
      fast == reference,
      "\(String(decoding: fast, as: UTF8.self))\n≠\n\(String(decoding: reference, as: UTF8.self))",
      sourceLocation: sourceLocation)
  }

  @Test(arguments: awkwardStrings)
  func messagesWithAwkwardTextMatchJSONEncoder(text: String) {
    var message = Message(
      channel: .sms, direction: .received, from: .init(name: text, address: "+46701234567", person: text),
      to: [.init(name: text), .init(address: text), .init()], sentAt: Date(timeIntervalSince1970: 1_795_958_520),
      timeAmbiguous: true, text: text, subject: text, entry: text,
      provenance: .init(source: text, sourceSHA256: text, position: text), details: [text: text, "k": text])
    message.stamp = RecordStamp(id: text, salt: text, recordedAt: text)
    message.attachments = [text, "a", text]
    Self.expectSameBytes(.message(message))
  }

  @Test func messagesWithEachOptionalFieldPresentOrAbsentMatchJSONEncoder() {
    // Every combination of the optional fields, and empty and non-empty collections.
    for mask in 0..<(1 << 12) {
      func has(_ bit: Int) -> Bool { mask & (1 << bit) != 0 }
      var message = Message(
        channel: Message.Channel.allCases[mask % Message.Channel.allCases.count],
        direction: Message.Direction.allCases[mask % Message.Direction.allCases.count],
        from: has(0) ? .init(name: has(1) ? "Marko" : nil, address: "+46701234567", person: has(2) ? "p1" : nil) : nil,
        to: has(3) ? [.init(name: "Mamma", address: has(1) ? "+46709876543" : nil)] : [],
        sentAt: has(4) ? Date(timeIntervalSince1970: 1_795_958_520) : nil, timeAmbiguous: has(5), text: "Hej",
        subject: has(6) ? "Ämne" : nil, entry: has(7) ? "e1" : nil,
        provenance: has(8) ? .init(source: "s", sourceSHA256: has(9) ? "ab" : nil, position: "<sms> 3") : .init(),
        details: has(10)
          ? ["status": "-1", "read": "1", "missing attachment 10": "x", "missing attachment 2": "y"] : [:]
      )
      message.stamp = Self.stamp
      if has(11) { message.attachments = ["a1", "a2"] }
      Self.expectSameBytes(.message(message))
    }
  }

  @Test func detailKeysAreSortedAsJSONEncoderSortsThem() {
    var message = Message(channel: .email, direction: .received, from: nil, sentAt: nil, text: "")
    message.stamp = Self.stamp
    message.details = Dictionary(
      uniqueKeysWithValues: [
        "b", "B", "a", "A", "_", "aa", "a a", "a\u{0}", "ä", "z", "Z", "ö", "é", "o\u{301}", "10", "2", "1", "",
        "Message-ID", "message-id", "Received", "received 1", "received 10", "received 2", "😠", "中",
      ].map { ($0, $0) })
    Self.expectSameBytes(.message(message))
  }

  @Test(arguments: awkwardStrings)
  func peopleMatchJSONEncoder(text: String) {
    for mask in 0..<8 {
      var person = Person(
        name: text, aliases: mask & 1 != 0 ? [text, "x"] : [], phones: ["+46701234567"],
        emails: mask & 2 != 0 ? [text] : [], handles: [], relation: mask & 4 != 0 ? text : nil,
        notes: mask & 1 != 0 ? text : nil)
      person.stamp = Self.stamp
      if mask & 2 != 0 { person.supersedes = text }
      Self.expectSameBytes(.person(person))
    }
  }

  @Test(arguments: awkwardStrings)
  func attachmentsMatchJSONEncoder(text: String) {
    for mask in 0..<8 {
      var attachment = Attachment(
        blob: "0a" + String(repeating: "f", count: 62), sha256: text,
        size: [0, 1, 48_000, Int64(Int32.max) + 7, Int64.max, -1, 9, 10][mask], mediaType: "image/jpeg",
        originalName: text, modifiedAt: mask & 1 != 0 ? "2026-11-29T13:22:00Z" : nil,
        entry: mask & 2 != 0 ? text : nil)
      attachment.stamp = Self.stamp
      if mask & 4 != 0 { attachment.supersedes = text }
      Self.expectSameBytes(.attachment(attachment))
    }
  }

  @Test func attachmentsWithCaptureMetadataStillMatch() {
    var attachment = Attachment(
      blob: "b", sha256: "s", size: 3, mediaType: "image/jpeg", originalName: "IMG_1.jpg",
      capture: CaptureMetadata(takenAt: "2026-11-28T22:30:15", latitude: 59.3293235, longitude: 18.0685808))
    attachment.stamp = Self.stamp
    Self.expectSameBytes(.attachment(attachment))
  }

  @Test func randomRecordsMatchJSONEncoder() {
    var generator = SeededGenerator(state: 0x5EED_CAFE)
    // Code points from every UTF-8 length, weighted towards the ones that need escaping.
    let pools: [ClosedRange<UInt32>] = [
      0...0x1F, 0x20...0x7F, 0x22...0x2F, 0x5C...0x5C, 0x80...0x7FF, 0x800...0xD7FF,
      0xE000...0xFFFF, 0x10000...0x10FFFF,
    ]
    func randomString() -> String {
      var scalars = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...24, using: &generator) {
        let pool = pools.randomElement(using: &generator) ?? pools[1]
        if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &generator)) { scalars.append(scalar) }
      }
      return String(scalars)
    }
    func maybe(_ value: @autoclosure () -> String) -> String? { Bool.random(using: &generator) ? value() : nil }
    for _ in 0..<2_000 {
      var message = Message(
        channel: .sms, direction: .sent, from: .init(name: maybe(randomString()), address: maybe(randomString())),
        to: (0..<Int.random(in: 0...3, using: &generator)).map { _ in .init(name: randomString()) },
        sentAt: nil, text: randomString(), subject: maybe(randomString()),
        provenance: .init(position: maybe(randomString())),
        details: Dictionary(
          (0..<Int.random(in: 0...5, using: &generator)).map { _ in (randomString(), randomString()) },
          uniquingKeysWith: { first, _ in first }))
      message.stamp = RecordStamp(id: randomString(), salt: randomString(), recordedAt: randomString())
      message.attachments = (0..<Int.random(in: 0...2, using: &generator)).map { _ in randomString() }
      Self.expectSameBytes(.message(message))

      var person = Person(name: randomString(), aliases: [randomString()], relation: maybe(randomString()))
      person.stamp = message.stamp
      Self.expectSameBytes(.person(person))

      var attachment = Attachment(
        blob: randomString(), sha256: randomString(), size: Int64.random(in: Int64.min...Int64.max, using: &generator),
        mediaType: randomString(), originalName: randomString(), entry: maybe(randomString()))
      attachment.stamp = message.stamp
      Self.expectSameBytes(.attachment(attachment))
    }
  }

  @Test func encodedRecordsDecodeToThemselves() throws {
    var message = Message(
      channel: .mms, direction: .received, from: .init(name: "Marko", address: "+46701234567"),
      sentAt: Date(timeIntervalSince1970: 1_795_958_520), text: "Line one\nLine \"two\" / ÅÄÖ 😠",
      details: ["status": "-1"])
    message.stamp = Self.stamp
    message.attachments = ["a1"]
    #expect(try RecordCodec.decode(RecordCodec.encode(.message(message))) == .message(message))
  }
}
