import EvidenceImport
import Foundation
import Testing

@testable import EvidenceImport
@testable import EvidenceVault

/// Hostile and broken exports: each ends the import with one sentence (and nothing imported), never a trap, never
/// memory that grows with what the file claims, and never the words of a message in the error.
@Suite struct HostileInputTests {
  /// A fresh folder for one test's files.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// What one import does: its outcome or its error, and the most memory the process held above where it was.
  static func importMeasuringMemory(_ reader: some MessageReader, export: URL) throws -> (
    outcome: Result<ImportOutcome, any Error>, vault: Vault, peakAboveStartMiB: Double?, folder: URL
  ) {
    let (vault, folder, _) = try MessageImporterTests.setUp()
    let start = residentMiB()
    // "5" to clear_refs resets the high-water mark to what is resident now, so VmHWM is this import's peak.
    let reset = (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    let outcome = Result {
      try MessageImporter.run(reader, exportFile: export, into: vault, options: ImportOptions())
    }
    let peak = reset ? peakMiB().map { $0 - (start ?? 0) } : nil
    return (outcome, vault, peak, folder)
  }

  static func status(_ key: String) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
  }

  static func residentMiB() -> Double? { status("VmRSS:") }
  static func peakMiB() -> Double? { status("VmHWM:") }

  static let chat = Array(
    "[2026-11-28 22:31:05] Marko: \u{200E}<attached: 00000012-VIDEO-2026-11-28-22-31-05.mp4>\n".utf8)
  static let video = "00000012-VIDEO-2026-11-28-22-31-05.mp4"

  // MARK: - Zip members

  /// 256 MiB of zeros at a ratio under 1:1000 (a legitimate, if odd, member): before, the whole member was held
  /// in memory (and the whole zip read first); now it is inflated into its blob 64 KiB at a time. Measured in a
  /// child process running only `largeMemberImport`, so that other tests running at the same time do not count.
  @Test("A large zip member is stored in constant memory, whole and intact")
  func largeMemberStreams() throws {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--testing-library", "swift-testing", "--filter", "largeMemberImport"]
    child.environment = ProcessInfo.processInfo.environment.merging([Self.childKey: "1"]) { _, new in new }
    let output = Pipe()
    child.standardOutput = output
    child.standardError = FileHandle.nullDevice
    try child.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    #expect(child.terminationStatus == 0, "\(text)")
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("peak memory importing") })
    print(line)
    let peak = try #require(line.split(separator: " ").compactMap { Double($0) }.last)
    #expect(peak < 64, "\(line)")
  }

  static let childKey = "EVIDENCE_IMPORT_MEMORY_CHILD"

  /// The import `largeMemberStreams` measures; does nothing unless run as its child.
  @Test("(child of the constant-memory test) a large zip member is imported whole")
  func largeMemberImport() throws {
    guard ProcessInfo.processInfo.environment[Self.childKey] == "1" else { return }
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (zip, size) = try ZipBombs.zip(
      in: folder, chat: Self.chat, member: Self.video, matchCount: (256 << 20) / 258, literalEvery: 20)
    let reader = WhatsAppReader(url: zip, me: "Anna", timeZone: WhatsAppFixtures.stockholm)
    let run = try Self.importMeasuringMemory(reader, export: zip)
    defer { try? FileManager.default.removeItem(at: run.folder) }
    let outcome = try run.outcome.get()
    #expect(outcome.summary.added == 1 && outcome.summary.attachments == 1)
    let exhibit = try #require(run.vault.index.exhibits.last?.current)
    #expect(exhibit.size == Int64(size))
    #expect(try run.vault.checkExhibits().isIntact)
    let peak = try #require(run.peakAboveStartMiB, "the peak memory cannot be measured here")
    print("peak memory importing a \(size >> 20) MiB zip member (MiB above the start): \(peak)")
  }

  @Test("A member that inflates past 1,000 times its compressed size ends the import: nothing is imported")
  func zipBombIsRefused() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // About 1,032:1: 64 MiB of zeros from 64 KiB.
    let (zip, _) = try ZipBombs.zip(in: folder, chat: Self.chat, member: Self.video, matchCount: (64 << 20) / 258)
    let reader = WhatsAppReader(url: zip, me: "Anna", timeZone: WhatsAppFixtures.stockholm)
    let run = try Self.importMeasuringMemory(reader, export: zip)
    defer { try? FileManager.default.removeItem(at: run.folder) }
    #expect(throws: VaultError.self) { try run.outcome.get() }
    guard case .failure(let error as VaultError) = run.outcome else { return }
    #expect(error.code == .invalidInput)
    #expect(error.message.contains("Export.zip") && error.message.contains(Self.video))
    #expect(error.message.contains("inflates to more than"))
    #expect(run.vault.index.messages.isEmpty && run.vault.index.exhibits.isEmpty)
    #expect(try run.vault.checkExhibits().orphanBlobs.isEmpty)
  }

  @Test("A member over the absolute cap is refused however well it compresses")
  func memberOverAbsoluteCap() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (zip, _) = try ZipBombs.zip(
      in: folder, chat: Self.chat, member: Self.video, matchCount: (3 << 20) / 258, literalEvery: 100)
    var reader = WhatsAppReader(url: zip, me: "Anna", timeZone: WhatsAppFixtures.stockholm)
    reader.limits.inflatedMaximumByteCount = 2 << 20
    var messages: [ImportedMessage] = []
    try reader.read { messages.append($0) }
    guard case .archiveMember(let member) = messages.first?.attachments.first?.content else {
      Issue.record("expected a zip member")
      return
    }
    #expect(member.byteCap == 2 << 20)
    #expect(throws: ImportError.self) { _ = try member.bytes() }
  }

  @Test(
    "A media member whose deflate stream is cut short ends in one sentence instead of an endless inflate",
    .timeLimit(.minutes(1)))
  func deflateStreamCutShort() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = SystemRandomNumberGenerator()
    let video = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let zip = try WhatsAppFixtures.zip([("_chat.txt", Self.chat), (Self.video, video)])
    // The directory and the local header say the member's compressed bytes end halfway through its deflate stream.
    var bytes = [UInt8](try Data(contentsOf: zip))
    let centrals = (0...(bytes.count - 4)).filter { Array(bytes[$0..<($0 + 4)]) == [0x50, 0x4B, 0x01, 0x02] }
    let central = try #require(centrals.last)
    let local = Int(bytes[central + 42]) | Int(bytes[central + 43]) << 8 | Int(bytes[central + 44]) << 16
    let compressed = Int(bytes[central + 20]) | Int(bytes[central + 21]) << 8 | Int(bytes[central + 22]) << 16
    for offset in [central + 20, local + 18] {
      bytes.replaceSubrange(offset..<(offset + 4), with: ZipBombs.le32(UInt32(compressed / 2)))
    }
    try Data(bytes).write(to: zip)
    var messages: [ImportedMessage] = []
    try WhatsAppReader(url: zip, me: "Anna", timeZone: WhatsAppFixtures.stockholm).read { messages.append($0) }
    guard case .archiveMember(let member) = messages.first?.attachments.first?.content else {
      Issue.record("expected a zip member")
      return
    }
    do {
      _ = try member.bytes()
      Issue.record("a cut deflate stream was read as whole")
    } catch let error as ImportError {
      #expect(error.message.contains("The zip member \(Self.video) cannot be read: it is damaged."), "\(error)")
    }
  }

  @Test("A member whose zip claims more than it holds is refused, not waited for")
  func storedMemberCutShort() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try WhatsAppFixtures.zip([("_chat.txt", Self.chat)])
    // Claim a stored member of 2 GiB in the central directory: its bytes run past the end of the file.
    var bytes = [UInt8](try Data(contentsOf: url))
    let central = try #require(Self.find([0x50, 0x4B, 0x01, 0x02], in: bytes))
    bytes.replaceSubrange((central + 24)..<(central + 28), with: ZipBombs.le32(0x7FFF_FFFF))
    bytes.replaceSubrange((central + 10)..<(central + 12), with: ZipBombs.le16(0))  // stored
    bytes.replaceSubrange(8..<10, with: ZipBombs.le16(0))  // in its local header too
    try Data(bytes).write(to: url)
    #expect(throws: ImportError.self) {
      try WhatsAppReader(url: url, me: nil, timeZone: WhatsAppFixtures.stockholm).read { _ in }
    }
  }

  static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= pattern.count else { return nil }
    return (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
  }

  // MARK: - Numbers

  @Test(
    "A Telegram date far out of range ends the import in one sentence",
    arguments: ["9223372036854775807", "-9223372036854775808", "-1", "253402300800", "99999999999999999999"])
  func telegramDateOutOfRange(seconds: String) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = """
      {"name": "Marko", "type": "personal_chat", "id": 18446744073709551615, "messages": [
        {"id": 99999999999999999999999, "type": "message", "date": "9999-99-99T99:99:99",
         "date_unixtime": "\(seconds)", "from": "Marko", "from_id": "user777", "text": "Hemligt 😠"}]}
      """
    let url = folder.appendingPathComponent("result.json")
    try Data(json.utf8).write(to: url)
    let run = try Self.importMeasuringMemory(TelegramReader(url: url), export: url)
    defer { try? FileManager.default.removeItem(at: run.folder) }
    guard case .failure(let error as VaultError) = run.outcome else {
      Issue.record("expected a VaultError, got \(run.outcome)")
      return
    }
    #expect(error.code == .invalidInput)
    #expect(error.message.contains("date_unixtime") && !error.message.contains("Hemligt"))
    #expect(run.vault.index.messages.isEmpty)
  }

  @Test("A Telegram edit time out of range is an error, not a trap")
  func telegramEditedOutOfRange() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = """
      {"name": "Marko", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1795901465", "edited_unixtime": "9223372036854775807",
         "from": "Marko", "from_id": "user777", "text": "x"}]}
      """
    let url = folder.appendingPathComponent("result.json")
    try Data(json.utf8).write(to: url)
    #expect(throws: ImportError.self) { try TelegramReader(url: url).read { _ in } }
  }

  @Test("An SMS date near Int64.max is an error naming the message, not a trap")
  func smsDateOutOfRange() throws {
    let xml = """
      <?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
      <smses count="1">
        <sms address="0701234567" date="9223372036854775807" type="1" body="Hemligt" contact_name="Marko" />
      </smses>
      """
    #expect(throws: ImportError.self) { _ = try SMSFixtures.read(xml) }
    do {
      _ = try SMSFixtures.read(xml)
    } catch let error as ImportError {
      #expect(error.position == "<sms> 1" && !error.description.contains("Hemligt"))
    }
  }

  @Test("An e-mail Date with an absurd year is no usable time, not a trap")
  func emailAbsurdYear() {
    for field in ["Sat, 28 Nov 9223372036854775807 22:31:05 +0100", "Sat, 28 Nov 99999 22:31:05 +0100"] {
      #expect(EmailDate.parse(field, timeZone: WhatsAppFixtures.stockholm) == nil)
    }
  }

  // MARK: - Sizes

  @Test("A Telegram export larger than the cap is refused before it is parsed")
  func telegramOverCap() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("result.json")
    try Data(("{\"messages\": [] " + String(repeating: " ", count: 4_096) + "}").utf8).write(to: url)
    var reader = TelegramReader(url: url)
    reader.limits.telegramJSONByteCount = 1_024
    #expect(throws: ImportError.self) { try reader.read { _ in } }
  }

  @Test("A WhatsApp chat over its cap, and a line over its cap, are refused in one sentence")
  func whatsAppOverCaps() throws {
    let url = try WhatsAppFixtures.chat([
      "28/11/2026, 22:31 - Marko: " + String(repeating: "Hemligt ", count: 1_000)
    ])
    var reader = WhatsAppReader(url: url, me: nil, timeZone: WhatsAppFixtures.stockholm)
    reader.limits.chatLineByteCount = 1_024
    #expect(throws: ImportError.self) { try reader.read { _ in } }
    do { try reader.read { _ in } } catch let error as ImportError {
      #expect(error.message.contains("longer than 1 KiB") && !error.description.contains("Hemligt"))
    }
    reader.limits.chatTextByteCount = 4_096
    #expect(throws: ImportError.self) { try reader.read { _ in } }
    // Not a file at all: refused without waiting for it to end.
    let device = WhatsAppReader(url: URL(fileURLWithPath: "/dev/zero"), me: nil, timeZone: .gmt)
    #expect(throws: ImportError.self) { try device.read { _ in } }
  }

  @Test("An over-long SMS attribute value or tag name is refused as the scanner reaches it")
  func xmlOverCaps() throws {
    let body = String(repeating: "x", count: 5_000)
    let xml = "<smses count=\"1\"><sms address=\"1\" date=\"1\" type=\"1\" body=\"\(body)\" /></smses>"
    let url = try SMSFixtures.temporaryFile()
    try Data(xml.utf8).write(to: url)
    var reader = SMSBackupReader(url: url)
    reader.limits.xmlValueByteCount = 4_096
    #expect(throws: ImportError.self) { try reader.read { _ in } }
    do { try reader.read { _ in } } catch let error as ImportError {
      #expect(error.message.contains("\"body\"") && error.message.contains("longer than"))
    }
    let longName = "<smses count=\"1\"><sms " + String(repeating: "a", count: 2_000) + "=\"1\" /></smses>"
    try Data(longName.utf8).write(to: url)
    #expect(throws: ImportError.self) { try SMSBackupReader(url: url).read { _ in } }
    let manyAttributes =
      "<smses><sms " + (0..<300).map { "a\($0)=\"\"" }.joined(separator: " ") + " /></smses>"
    try Data(manyAttributes.utf8).write(to: url)
    var small = SMSBackupReader(url: url)
    small.limits.xmlValueByteCount = 4_096
    #expect(throws: ImportError.self) { try small.read { _ in } }
  }

  @Test("An over-long mailbox line, header field or message is refused in one sentence")
  func emailOverCaps() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("threat.eml")
    let subject = "Subject: " + String(repeating: "Hemligt ", count: 600) + "\n"
    try Data(("From: a@example.com\n" + subject + "\nText\n").utf8).write(to: url)
    var reader = EmailReader(url: url, timeZone: .gmt)
    reader.limits.emailLineByteCount = 1_024
    #expect(throws: ImportError.self) { try reader.read { _ in } }
    reader = EmailReader(url: url, timeZone: .gmt)
    reader.limits.emailHeaderByteCount = 1_024
    do {
      try reader.read { _ in }
      Issue.record("expected an error")
    } catch let error as ImportError {
      #expect(error.message.contains("(Subject)") && !error.description.contains("Hemligt"))
    }
    reader = EmailReader(url: url, timeZone: .gmt)
    reader.limits.emailMessageByteCount = 1_024
    #expect(throws: ImportError.self) { try reader.read { _ in } }
  }

  // MARK: - XML comments

  @Test("\"--->\" ends a comment; \"-->\" inside a value is only text", arguments: ["<!-- a --->", "<!-- a - b -->"])
  func commentEnds(comment: String) throws {
    let xml = """
      <?xml version='1.0' encoding='UTF-8' ?>
      \(comment)
      <smses count="1">
        <sms address="0701234567" date="1795901400000" type="1" body="a --&gt; b --> c" />
      </smses>
      """
    let messages = try SMSFixtures.read(xml)
    #expect(messages.map(\.text) == ["a --> b --> c"])
  }

  // MARK: - Telegram media outside the folder

  @Test("A Telegram media path that is a symbolic link out of the export folder is not followed")
  func telegramSymlinkOutOfFolder() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let export = folder.appendingPathComponent("export")
    let outside = folder.appendingPathComponent("secret.txt")
    try FileManager.default.createDirectory(
      at: export.appendingPathComponent("photos"), withIntermediateDirectories: true)
    try Data("private key".utf8).write(to: outside)
    try Data("a photo".utf8).write(to: export.appendingPathComponent("photos/real.jpg"))
    try FileManager.default.createSymbolicLink(
      atPath: export.appendingPathComponent("photos/out.jpg").path, withDestinationPath: "../../secret.txt")
    try FileManager.default.createSymbolicLink(
      atPath: export.appendingPathComponent("linked").path, withDestinationPath: folder.path)
    try FileManager.default.createSymbolicLink(
      atPath: export.appendingPathComponent("photos/in.jpg").path, withDestinationPath: "real.jpg")
    let json = """
      {"name": "Marko", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "photo": "photos/out.jpg"},
        {"id": 2, "type": "message", "date_unixtime": "1795901466", "from": "Marko", "file": "linked/secret.txt"},
        {"id": 3, "type": "message", "date_unixtime": "1795901467", "from": "Marko", "photo": "photos/in.jpg"},
        {"id": 4, "type": "message", "date_unixtime": "1795901468", "from": "Marko", "file": "/etc/passwd"}]}
      """
    let url = export.appendingPathComponent("result.json")
    try Data(json.utf8).write(to: url)
    var messages: [ImportedMessage] = []
    try TelegramReader(url: url).read { messages.append($0) }
    let contents = messages.map { $0.attachments.first?.content }
    #expect(contents[0] == .missing("the export names a file that links to outside its folder: photos/out.jpg"))
    #expect(contents[1] == .missing("the export names a file that links to outside its folder: linked/secret.txt"))
    #expect(contents[2] == .file(export.appendingPathComponent("photos/in.jpg").standardizedFileURL))
    #expect(contents[3] == .missing("the export names a file outside its folder: /etc/passwd"))
  }

  // MARK: - Errors never quote messages

  @Test("Errors name the file, line and field, never the words of a message")
  func errorsDoNotQuoteMessages() throws {
    // A WhatsApp first line that is not a chat line, and a date that does not exist.
    for lines in [["Hemligt meddelande"], ["31/02/2026, 22:31 - Marko: Hemligt meddelande"]] {
      let url = try WhatsAppFixtures.chat(lines)
      let error = try #require(WhatsAppFixtures.error(url, dateOrder: .dmy))
      #expect(!error.description.contains("Hemligt"), "\(error)")
      #expect(error.position == "line 1")
    }
    // An SMS body with an unknown entity.
    let xml = "<smses count=\"1\"><sms address=\"1\" date=\"1\" type=\"1\" body=\"Hemligt &hemligt; ord\" /></smses>"
    do {
      _ = try SMSFixtures.read(xml)
      Issue.record("expected an error")
    } catch let error as ImportError {
      #expect(!error.description.lowercased().contains("hemligt"), "\(error)")
      #expect(error.message.contains("body"))
    }
  }
}
