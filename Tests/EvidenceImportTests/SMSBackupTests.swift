import EvidenceImport
import Foundation
import Testing

@Suite("SMS Backup & Restore reader")
struct SMSBackupTests {
  private let marko = Party(name: "Marko", address: "+46701234567")
  private let stranger = Party(address: "+447700900123")

  /// The details every fixture `<sms>` line carries.
  private func smsDetails(_ n: Int, line: Int) -> [String: String] {
    [
      "protocol": "0", "read": "1", "status": "-1", "locked": "0", "date_sent": "0", "sub_id": "1",
      "readable_date": "2 maj 2025 17:33:\(20 + n)", "line": String(line),
    ]
  }

  private func received(_ n: Int, from party: Party, _ text: String, extra: [String: String] = [:]) -> ImportedMessage {
    ImportedMessage(
      channel: .sms, direction: .received, sender: party, time: SMSFixtures.time(1_746_200_000_000 + Int64(n) * 1000),
      text: text, position: "<sms> \(n)", details: smsDetails(n, line: n + 3).merging(extra) { $1 }
    )
  }

  private func outgoing(_ n: Int, _ direction: MessageDirection, _ text: String) -> ImportedMessage {
    ImportedMessage(
      channel: .sms, direction: direction, sender: nil, recipients: [marko],
      time: SMSFixtures.time(1_746_200_000_000 + Int64(n) * 1000), text: text, position: "<sms> \(n)",
      details: smsDetails(n, line: n + 3)
    )
  }

  // MARK: Messages

  @Test("A received Swedish SMS keeps the sender, the time and the words with & decoded")
  func receivedSwedishSMS() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    #expect(messages.count == 14)
    #expect(messages[0] == received(1, from: marko, "Jag vet var du bor. Akta dig & din familj."))
  }

  @Test("A sent English SMS has no sender, the other party as recipient, and < > \" decoded")
  func sentEnglishSMS() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    #expect(messages[1] == outgoing(2, .sent, "Stop contacting me <now>. I told the police \"everything\"."))
  }

  @Test("A body written with &#10; keeps its line breaks, and (Unknown) means no name")
  func multiLineBody() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    let noName = Party(address: "+46701234567")
    #expect(messages[2] == received(3, from: noName, "Rad ett\nRad två\n\nLine four"))
  }

  @Test("All three ways of writing an emoji, and the hex form, give exactly U+1F620")
  func emojiForms() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    let angry = SMSFixtures.angry
    #expect(messages[3] == received(4, from: Party(address: "+46701234567"), "Du kommer ångra dig \(angry)"))
    #expect(messages[4] == received(5, from: stranger, "You will regret this \(angry)"))
    #expect(messages[5] == received(6, from: stranger, "\(angry) Svara!"))
    #expect(messages[6] == received(7, from: stranger, "\(angry) 'now'"))
    for message in messages[3...6] {
      let emoji = message.text.unicodeScalars.filter { $0.value > 0xFFFF }
      #expect(emoji.map(\.value) == [0x1F620])
      #expect(message.details["repaired"] == nil)
    }
  }

  @Test("A lone surrogate reference becomes U+FFFD and the repair is noted")
  func loneSurrogate() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    let note = "body: a lone UTF-16 surrogate &#55357; was replaced with U+FFFD"
    #expect(messages[7] == received(8, from: marko, "Hej \u{FFFD} där", extra: ["repaired": note]))
  }

  @Test("Drafts, outbox, failed and queued SMS get their own directions")
  func otherSMSTypes() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    #expect(messages[8] == outgoing(9, .draft, "Utkast: sluta skriva till mig"))
    #expect(messages[9] == outgoing(10, .outbox, "Outbox: leave me alone"))
    #expect(messages[10] == outgoing(11, .failed, "Misslyckades"))
    let queued = ImportedMessage(
      channel: .sms, direction: .queued, sender: nil, recipients: [marko], time: SMSFixtures.time(1_746_200_012_000),
      text: "Queued \"reply\"", position: "<sms> 12", details: ["line": "15"]
    )
    #expect(messages[11] == queued)
  }

  @Test("A photo MMS gives its picture and text, skips the SMIL layout and reads from, to and cc")
  func photoMMS() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    let expected = ImportedMessage(
      channel: .mms, direction: .received, sender: marko,
      recipients: [Party(address: "+46709876543"), Party(address: "+46705550000")],
      time: SMSFixtures.time(1_746_300_000_000), text: "Ser du? Jag står utanför \(SMSFixtures.angry)",
      attachments: [
        ImportedAttachment(name: "IMG_0042.png", declaredType: "image/png", content: .bytes(SMSFixtures.png))
      ],
      position: "<mms> 1",
      details: [
        "date_sent": "1746299990", "m_type": "132", "read": "1", "text_only": "0",
        "readable_date": "3 maj 2025 21:20:00", "line": "16",
      ]
    )
    #expect(messages[12] == expected)
  }

  @Test("A sent MMS joins its text parts with a line break and names an unnamed picture from its type")
  func sentMMS() throws {
    let messages = try SMSFixtures.read(SMSFixtures.messages)
    let expected = ImportedMessage(
      channel: .mms, direction: .sent, sender: nil, recipients: [marko], time: SMSFixtures.time(1_746_300_060_000),
      text: "Here is the photo.\nDet här är bilden.", subject: "Bevis",
      attachments: [
        ImportedAttachment(name: "part-0.jpg", declaredType: "image/jpeg", content: .bytes(SMSFixtures.jpeg))
      ],
      position: "<mms> 2", details: ["date_sent": "0", "readable_date": "3 maj 2025 21:21:00", "line": "28"]
    )
    #expect(messages[13] == expected)
  }

  @Test("Progress reaches the file's size")
  func progressReachesTheEnd() throws {
    let url = try SMSFixtures.temporaryFile()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let bytes = Array(SMSFixtures.messages.utf8)
    try Data(bytes).write(to: url)
    var reports: [(Int64, Int64)] = []
    try SMSBackupReader(url: url).read(progress: { reports.append(($0, $1)) }, { _ in })
    #expect(reports.last?.0 == Int64(bytes.count))
    #expect(reports.last?.1 == Int64(bytes.count))
  }

  @Test("An error thrown by the handler comes back unchanged and stops the reading")
  func handlerErrorsAreRethrown() throws {
    struct Stop: Error, Equatable {}
    let url = try SMSFixtures.temporaryFile()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    try Data(SMSFixtures.messages.utf8).write(to: url)
    var seen = 0
    #expect(throws: Stop()) {
      try SMSBackupReader(url: url).read { _ in
        seen += 1
        if seen == 3 { throw Stop() }
      }
    }
    #expect(seen == 3)
  }

  // MARK: Calls

  @Test("A calls file gives every call type, a withheld number and a payphone")
  func callsFile() throws {
    let calls = try SMSFixtures.read(SMSFixtures.calls, name: "calls-20250503.xml")
    func call(
      _ n: Int, _ channel: MessageChannel, _ direction: MessageDirection, sender: Party?, recipients: [Party] = [],
      presentation: String = "allowed"
    ) -> ImportedMessage {
      ImportedMessage(
        channel: channel, direction: direction, sender: sender, recipients: recipients,
        time: SMSFixtures.time(1_746_200_000_000 + Int64(n) * 60_000), text: "", position: "<call> \(n)",
        details: [
          "duration": String(n * 10), "presentation": presentation, "subscription_id": "1",
          "readable_date": "2 maj 2025 17:\(33 + n):20", "line": String(n + 2),
        ]
      )
    }
    let expected = [
      call(1, .call, .received, sender: marko),
      call(2, .call, .sent, sender: nil, recipients: [marko]),
      call(3, .call, .missed, sender: marko),
      call(4, .voicemail, .received, sender: marko),
      call(5, .call, .rejected, sender: stranger),
      call(6, .call, .blocked, sender: stranger),
      call(7, .call, .missed, sender: Party(), presentation: "withheld"),
      call(8, .call, .received, sender: Party(address: "+46850000000"), presentation: "payphone"),
    ]
    #expect(calls.count == expected.count)
    for (got, want) in zip(calls, expected) {
      #expect(got == want)
    }
  }

  // MARK: Malformed input

  @Test("A file cut off at any point gives an ImportError and only whole messages before it")
  func truncatedFiles() throws {
    let bytes = Array(SMSFixtures.messages.utf8)
    let all = try SMSFixtures.read(bytes)
    let rootEnd = bytes.count - 1  // the file ends "</smses>\n"
    for cut in stride(from: 0, to: rootEnd, by: 9) {
      do {
        let got = try SMSFixtures.read(Array(bytes[..<cut]))
        Issue.record("cut at \(cut) was read as \(got.count) messages")
      } catch let error as ImportError {
        #expect(error.file == "sms-20250503.xml")
        #expect(!error.message.isEmpty)
      }
    }
    var partial: [ImportedMessage] = []
    let url = try SMSFixtures.temporaryFile()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    try Data(bytes[..<(rootEnd - 20)]).write(to: url)
    #expect(throws: ImportError.self) { try SMSBackupReader(url: url).read { partial.append($0) } }
    #expect(partial == Array(all[..<13]))
  }

  @Test("A file cut inside an SMS names that SMS and asks for a new export")
  func truncatedInsideSMS() throws {
    let text = SMSFixtures.messages
    guard let range = text.range(of: "Stop contacting") else {
      Issue.record("fixture changed")
      return
    }
    let cut = String(text[..<range.upperBound])
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(cut) }
    #expect(error?.position == "<sms> 2")
    #expect(error?.message == "The file ends in the middle of <sms> 2: it was cut off. Export it again.")
  }

  @Test("A file cut inside an MMS picture names that MMS")
  func truncatedInsideMMS() throws {
    let text = SMSFixtures.messages
    guard let range = text.range(of: "data=\"iVBOR") else {
      Issue.record("fixture changed")
      return
    }
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(String(text[..<range.upperBound])) }
    #expect(error?.position == "<mms> 1")
    #expect(error?.message == "The file ends in the middle of <mms> 1: it was cut off. Export it again.")
  }

  @Test("A date that is not a number is an error at that SMS")
  func badDate() throws {
    let xml = "<smses count=\"1\"><sms address=\"+4670\" date=\"igår\" type=\"1\" body=\"x\" /></smses>"
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(xml) }
    #expect(error?.position == "<sms> 1")
    #expect(error?.message == "<sms> 1 has a date that is not a number (“igår”).")
  }

  @Test("A picture whose data is not base64 is an error at that MMS")
  func invalidBase64() throws {
    let xml = """
      <smses count="3">
      <mms date="1" msg_box="1"><parts><part seq="0" ct="image/png" data="iVBO" /></parts></mms>
      <mms date="2" msg_box="1"><parts><part seq="0" ct="image/png" data="iVBO" /></parts></mms>
      <mms date="3" msg_box="1"><parts><part seq="0" ct="image/jpeg" data="not*base64!" /></parts></mms>
      </smses>
      """
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(xml) }
    #expect(error?.position == "<mms> 3")
    #expect(error?.message == "<mms> 3 has a picture whose data is not valid base64.")
  }

  @Test("An entity XML does not define is an error that names the field but does not quote the text")
  func unknownEntity() throws {
    let xml = "<smses count=\"1\"><sms address=\"+4670\" date=\"1\" type=\"1\" body=\"Hej&nbsp;då\" /></smses>"
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(xml) }
    #expect(error?.position == "<sms> 1")
    #expect(error?.message == "<sms> 1 has an \"&\" that starts no XML entity in its body.")
  }

  @Test("An attribute value without quotes is an error at that SMS")
  func unquotedAttribute() throws {
    let xml = "<smses count=\"2\">\n<sms date=\"1\" type=\"1\" />\n<sms address=+4670 date=\"1\" /></smses>"
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read(xml) }
    #expect(error?.position == "<sms> 2")
    #expect(error?.message.contains("Line 3") == true)
  }

  @Test("An attribute given twice is an error; a tag with many distinct attributes keeps them all")
  func duplicateAttribute() throws {
    let many = (0..<40).map { " x\($0)=\"\($0)\"" }.joined()
    for attributes in [" date=\"1\" type=\"1\" date=\"2\"", many + " x3=\"again\""] {
      let xml = "<smses count=\"1\"><sms address=\"+4670\"\(attributes) /></smses>"
      let error = #expect(throws: ImportError.self) { try SMSFixtures.read(xml) }
      #expect(error?.position == "<sms> 1")
      #expect(error?.message.contains("twice") == true)
    }
    let distinct = "<smses count=\"1\"><sms address=\"+4670\" date=\"1\" type=\"1\"\(many) /></smses>"
    let messages = try SMSFixtures.read(distinct)
    #expect(messages.count == 1 && messages.first?.sender?.address == "+4670")
    #expect(messages.first?.details["x0"] == "0" && messages.first?.details["x39"] == "39")
  }

  @Test("A file that is not XML, or XML of another kind, is not taken for an SMS backup")
  func notAnSMSBackup() throws {
    let notes = "Anteckningar om hoten\nNotes on the threats\n"
    let note = #expect(throws: ImportError.self) { try SMSFixtures.read(notes) }
    #expect(note?.message.hasPrefix("This is not an SMS Backup & Restore export.") == true)
    let html = #expect(throws: ImportError.self) { try SMSFixtures.read("<html><body>Hej</body></html>") }
    let notOurs = "This is not an SMS Backup & Restore export: it starts with <html>, not <smses> or <calls>."
    #expect(html?.message == notOurs)
    let binary = #expect(throws: ImportError.self) { try SMSFixtures.read(SMSFixtures.png) }
    #expect(binary?.message.hasPrefix("This is not an SMS Backup & Restore export.") == true)
  }

  @Test("An empty file is an error that says so")
  func emptyFile() throws {
    let error = #expect(throws: ImportError.self) { try SMSFixtures.read([UInt8]()) }
    #expect(error?.message == "The file is empty: there is nothing in it to import. Export it again.")
  }

  @Test("A missing file is an ImportError naming it")
  func missingFile() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).xml")
    let error = #expect(throws: ImportError.self) { try SMSBackupReader(url: url).read { _ in } }
    #expect(error?.file == url.lastPathComponent)
  }

  // MARK: Size

  @Test("A backup of 20,000 SMS and 50 MMS with 200 KB pictures is read in full")
  func largeBackup() throws {
    let url = try SMSFixtures.temporaryFile()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let picture = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let base64 = Data(picture).base64EncodedString()
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    try handle.write(contentsOf: Data("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n".utf8))
    var chunk = ""
    for n in 1...20_000 {
      let body = n.isMultiple(of: 2) ? "Meddelande \(n) &#128544;" : "Message \(n) &amp; more"
      chunk += SMSFixtures.sms(n % 30, address: "+4670\(n)", type: 1 + n % 2, body: body, name: "Marko") + "\n"
      if n.isMultiple(of: 400) {
        let mms = n / 400
        chunk +=
          "<mms date=\"\(1_746_300_000_000 + mms)\" msg_box=\"1\" address=\"+4670\"><parts>"
          + "<part seq=\"0\" ct=\"image/jpeg\" cl=\"bild-\(mms).jpg\" data=\"\(base64)\" />"
          + "<part seq=\"1\" ct=\"text/plain\" text=\"Bild \(mms)\" /></parts></mms>\n"
        try handle.write(contentsOf: Data(chunk.utf8))
        chunk = ""
      }
    }
    try handle.write(contentsOf: Data((chunk + "</smses>\n").utf8))
    try handle.close()

    var sms = 0
    var mms = 0
    var pictureBytes = 0
    var firstPictureMatches = false
    try SMSBackupReader(url: url).read { message in
      switch message.channel {
      case .sms: sms += 1
      case .mms:
        mms += 1
        if case .bytes(let bytes)? = message.attachments.first?.content {
          pictureBytes += bytes.count
          if mms == 1 { firstPictureMatches = bytes == picture }
        }
      default: break
      }
    }
    #expect(sms == 20_000)
    #expect(mms == 50)
    #expect(pictureBytes == 50 * 200_000)
    #expect(firstPictureMatches)
  }
}
