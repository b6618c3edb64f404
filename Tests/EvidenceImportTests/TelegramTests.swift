import Foundation
import Testing

@testable import EvidenceImport

/// A Telegram export folder in a fresh temporary directory: result.json plus any media files.
private struct TelegramExport {
  let folder: URL

  /// Writes `json` as result.json and each of `files` (a path relative to the folder → its bytes).
  init(_ json: String, files: [String: [UInt8]] = [:]) throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("telegram-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(json.utf8).write(to: result)
    for (path, bytes) in files {
      let url = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true
      )
      try Data(bytes).write(to: url)
    }
  }

  /// The export's result.json.
  var result: URL { folder.appendingPathComponent("result.json") }

  /// Every message the reader yields.
  func messages(chat: String? = nil, me: String? = nil) throws -> [ImportedMessage] {
    var messages: [ImportedMessage] = []
    try TelegramReader(url: result, chat: chat, me: me).read { messages.append($0) }
    return messages
  }

  /// The `ImportError` the reader throws, or nil when it reads without one (and yields nothing either way).
  func error(chat: String? = nil) -> ImportError? {
    var yielded = 0
    defer { #expect(yielded == 0) }
    do {
      try TelegramReader(url: result, chat: chat).read { _ in yielded += 1 }
      return nil
    } catch {
      return error as? ImportError
    }
  }

  /// Deletes the folder and everything in it.
  func remove() {
    try? FileManager.default.removeItem(at: folder)
  }
}

/// A one-chat export named Marko with the given messages (JSON objects, comma-separated).
private func personalChat(_ messages: String) -> String {
  """
  {
   "name": "Marko",
   "type": "personal_chat",
   "id": 555001,
   "messages": [
  \(messages)
   ]
  }
  """
}

/// The instant `seconds` after 1970.
private func time(_ seconds: Int) -> SourceTime {
  SourceTime(instant: Date(timeIntervalSince1970: TimeInterval(seconds)))
}

/// The smallest JPEG-looking bytes: SOI, a comment, EOI.
private let jpegBytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, 0x68, 0x69, 0xFF, 0xD9]

private let marko = Party(name: "Marko", address: "user777")

@Suite("Telegram Desktop export")
struct TelegramTests {
  @Test("A personal chat's plain text message is read with its UTC time, sender and position")
  func plainText() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 101, "type": "message", "date": "2026-11-28T22:31:05", "date_unixtime": "1795901465",
           "from": "Marko", "from_id": "user777", "text": "Jag vet var du bor.\nVi ses.", "text_entities": []}
        """#
      )
    )
    defer { export.remove() }
    let messages = try export.messages()
    #expect(
      messages == [
        ImportedMessage(
          channel: .telegram, direction: .received, sender: marko, time: time(1_795_901_465),
          text: "Jag vet var du bor.\nVi ses.", position: "message 1 (id 101) in chat Marko",
          details: ["chat": "Marko"]
        )
      ]
    )
  }

  @Test("A text array's strings and bold, link and mention entities are joined exactly, with no separator")
  func textEntities() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 102, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
           "text": ["Du ska få ", {"type": "bold", "text": "ångra dig 😡"}, " — läs ",
                    {"type": "link", "text": "https://exempel.se/?a=1&b=<2>"}, " \"nu\" & ",
                    {"type": "mention", "text": "@anna_ö"}, "!",
                    {"type": "text_link", "text": " här", "href": "https://evil.example/x"}],
           "text_entities": [{"type": "plain", "text": "ignored"}]}
        """#
      )
    )
    defer { export.remove() }
    let message = try #require(try export.messages().first)
    #expect(message.text == "Du ska få ångra dig 😡 — läs https://exempel.se/?a=1&b=<2> \"nu\" & @anna_ö! här")
    #expect(message.details == ["chat": "Marko", "links": "https://evil.example/x"])
  }

  @Test("A photo that is in the export folder becomes a file attachment")
  func photoOnDisk() throws {
    let path = "photos/photo_1@28-11-2026_22-31-05.jpg"
    let export = try TelegramExport(
      personalChat(
        """
          {"id": 103, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
           "photo": "\(path)", "width": 1, "height": 1, "text": ""}
        """
      ),
      files: [path: jpegBytes]
    )
    defer { export.remove() }
    let message = try #require(try export.messages().first)
    let attachment = try #require(message.attachments.first)
    #expect(message.attachments.count == 1)
    #expect(attachment.name == "photo_1@28-11-2026_22-31-05.jpg")
    #expect(attachment.declaredType == nil)
    guard case .file(let url) = attachment.content else {
      Issue.record("expected a file, got \(attachment.content)")
      return
    }
    #expect(url.path == export.folder.appendingPathComponent(path).standardizedFileURL.path)
    #expect(try [UInt8](Data(contentsOf: url)) == jpegBytes)
    #expect(message.text == "")
  }

  @Test("A photo the export did not include is missing, with Telegram's placeholder as the reason")
  func photoNotIncluded() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 104, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
           "photo": "(File not included. Change data exporting settings to download.)", "text": "titta"}
        """#
      )
    )
    defer { export.remove() }
    let message = try #require(try export.messages().first)
    #expect(
      message.attachments == [
        ImportedAttachment(
          name: "photo-104.jpg",
          content: .missing("(File not included. Change data exporting settings to download.)")
        )
      ]
    )
    #expect(message.text == "titta")
  }

  @Test("A file keeps its file name and mime type, and a file absent from the folder is missing")
  func fileWithMimeType() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 105, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
           "file": "files/hot.pdf", "file_name": "hot mot dig.pdf", "mime_type": "application/pdf", "text": ""},
          {"id": 106, "type": "message", "date_unixtime": "1795901466", "from": "Marko", "from_id": "user777",
           "file": "files/gone.pdf", "mime_type": "application/pdf", "text": ""},
          {"id": 107, "type": "message", "date_unixtime": "1795901467", "from": "Marko", "from_id": "user777",
           "file": "../../etc/passwd", "text": ""}
        """#
      ),
      files: ["files/hot.pdf": Array("%PDF-1.4".utf8)]
    )
    defer { export.remove() }
    let messages = try export.messages()
    #expect(messages.count == 3)
    let present = try #require(messages.first?.attachments.first)
    #expect(present.name == "hot mot dig.pdf")
    #expect(present.declaredType == "application/pdf")
    guard case .file(let url) = present.content else {
      Issue.record("expected a file, got \(present.content)")
      return
    }
    #expect(url.lastPathComponent == "hot.pdf")
    #expect(
      messages[1].attachments == [
        ImportedAttachment(
          name: "gone.pdf", declaredType: "application/pdf",
          content: .missing("the file is not in the export folder: files/gone.pdf")
        )
      ]
    )
    #expect(
      messages[2].attachments == [
        ImportedAttachment(
          name: "passwd", content: .missing("the export names a file outside its folder: ../../etc/passwd")
        )
      ]
    )
  }

  @Test("A voice message keeps its media type and duration and its audio file")
  func voiceMessage() throws {
    let path = "voice_messages/audio_1@28-11-2026_22-40-00.ogg"
    let export = try TelegramExport(
      personalChat(
        """
          {"id": 108, "type": "message", "date_unixtime": "1795902000", "from": "Marko", "from_id": "user777",
           "file": "\(path)", "media_type": "voice_message", "mime_type": "audio/ogg", "duration_seconds": 12,
           "text": "", "reply_to_message_id": 101}
        """
      ),
      files: [path: Array("OggS".utf8)]
    )
    defer { export.remove() }
    let message = try #require(try export.messages().first)
    let url = export.folder.appendingPathComponent(path).standardizedFileURL
    #expect(
      message
        == ImportedMessage(
          channel: .telegram, direction: .received, sender: marko, time: time(1_795_902_000), text: "",
          attachments: [
            ImportedAttachment(name: "audio_1@28-11-2026_22-40-00.ogg", declaredType: "audio/ogg", content: .file(url))
          ],
          position: "message 1 (id 108) in chat Marko",
          details: ["chat": "Marko", "media_type": "voice_message", "duration": "12", "reply_to": "101"]
        )
    )
  }

  @Test("Service messages are skipped but still count in the positions of later messages")
  func serviceSkipped() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 109, "type": "service", "date_unixtime": "1795901465", "actor": "Marko", "actor_id": "user777",
           "action": "pin_message", "message_id": 101, "text": ""},
          {"id": 110, "type": "service", "date_unixtime": "1795901466", "actor": "Marko", "actor_id": "user777",
           "action": "invite_members", "members": ["Anna"], "text": ""},
          {"id": 111, "type": "message", "date_unixtime": "1795901467", "from": "Marko", "from_id": "user777",
           "text": "Hej", "forwarded_from": "Okänd"}
        """#
      )
    )
    defer { export.remove() }
    let messages = try export.messages()
    #expect(messages.count == 1)
    #expect(messages.first?.position == "message 3 (id 111) in chat Marko")
    #expect(messages.first?.details == ["chat": "Marko", "forwarded_from": "Okänd"])
  }

  @Test("A missed phone call becomes a missed call, and a hung-up call is sent or received by its caller")
  func phoneCalls() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 112, "type": "service", "date_unixtime": "1795902330", "actor": "Marko", "actor_id": "user777",
           "action": "phone_call", "discard_reason": "missed", "text": ""},
          {"id": 113, "type": "service", "date_unixtime": "1795903330", "actor": "Anna", "actor_id": "user42",
           "action": "phone_call", "duration_seconds": 95, "discard_reason": "hangup", "text": ""}
        """#
      )
    )
    defer { export.remove() }
    let messages = try export.messages(me: "user42")
    #expect(
      messages == [
        ImportedMessage(
          channel: .call, direction: .missed, sender: marko, time: time(1_795_902_330), text: "",
          position: "message 1 (id 112) in chat Marko", details: ["chat": "Marko", "discard_reason": "missed"]
        ),
        ImportedMessage(
          channel: .call, direction: .sent, sender: Party(name: "Anna", address: "user42"),
          time: time(1_795_903_330), text: "", position: "message 2 (id 113) in chat Marko",
          details: ["chat": "Marko", "discard_reason": "hangup", "duration": "95"]
        ),
      ]
    )
  }

  @Test("An edited message keeps when it was edited as RFC 3339 UTC, never the local \"edited\" time")
  func editedMessage() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 114, "type": "message", "date": "2026-11-28T22:31:05", "date_unixtime": "1795901465",
           "edited": "2026-11-28T22:40:00", "edited_unixtime": "1795902000",
           "from": "Marko", "from_id": "user777", "text": "Ändrat"}
        """#
      )
    )
    defer { export.remove() }
    let message = try #require(try export.messages().first)
    #expect(message.time == time(1_795_901_465))
    #expect(message.details == ["chat": "Marko", "edited": "2026-11-28T21:40:00Z"])
  }

  @Test("A chats list yields every chat in order, and the chat filter picks one by name in any case")
  func chatsListAndFilter() throws {
    let export = try TelegramExport(
      #"""
      {
       "about": "Here is the data you requested.",
       "personal_information": {"user_id": 42, "first_name": "Anna", "last_name": "Berg", "phone_number": "+46"},
       "chats": {"about": "chats", "list": [
         {"name": "Marko", "type": "personal_chat", "id": 777, "messages": [
           {"id": 1, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
            "text": "Svara!"},
           {"id": 2, "type": "message", "date_unixtime": "1795901470", "from": "Anna Berg", "from_id": "user42",
            "text": "Sluta skriva."}
         ]},
         {"name": "Grannarna", "type": "private_group", "id": 888, "messages": [
           {"id": 9, "type": "message", "date_unixtime": "1795902000", "from": "Pelle", "from_id": "user999",
            "text": "Vem är hon?"}
         ]}
       ]},
       "left_chats": {"about": "left", "list": []}
      }
      """#
    )
    defer { export.remove() }
    let all = try export.messages()
    #expect(all.map(\.text) == ["Svara!", "Sluta skriva.", "Vem är hon?"])
    #expect(all.map(\.direction) == [.received, .sent, .received])
    #expect(
      all.map(\.position) == [
        "message 1 (id 1) in chat Marko", "message 2 (id 2) in chat Marko", "message 1 (id 9) in chat Grannarna",
      ])
    let group = try export.messages(chat: "grannARNA")
    #expect(group.map(\.text) == ["Vem är hon?"])
    #expect(group.first?.details == ["chat": "Grannarna"])
  }

  @Test("Sent and received follow personal_information, or the given name or user id when one is passed")
  func sentAndReceived() throws {
    let export = try TelegramExport(
      #"""
      {"personal_information": {"user_id": 42, "first_name": "Anna", "last_name": "Berg"},
       "chats": {"list": [{"name": "Marko", "type": "personal_chat", "id": 777, "messages": [
         {"id": 1, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
          "text": "a"},
         {"id": 2, "type": "message", "date_unixtime": "1795901466", "from": "Anna Berg", "from_id": "user42",
          "text": "b"}
       ]}]}}
      """#
    )
    defer { export.remove() }
    #expect(try export.messages().map(\.direction) == [.received, .sent])
    #expect(try export.messages(me: "MARKO").map(\.direction) == [.sent, .received])
    #expect(try export.messages(me: "user777").map(\.direction) == [.sent, .received])
    #expect(try export.messages(me: "anna berg").map(\.direction) == [.received, .sent])
  }

  @Test("Reading the export folder itself reads its result.json and reports progress once loaded")
  func folderAndProgress() throws {
    let export = try TelegramExport(
      personalChat(
        #"""
          {"id": 1, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "from_id": "user777",
           "text": "x"}
        """#
      )
    )
    defer { export.remove() }
    let size = Int64(try Data(contentsOf: export.result).count)
    var reports: [Int64] = []
    var count = 0
    try TelegramReader(url: export.folder).read(
      progress: { done, total in
        #expect(total == size)
        reports.append(done)
      },
      { _ in count += 1 })
    #expect(count == 1)
    #expect(reports.last == size)
  }

  @Test("A file that is not JSON is refused with where it breaks")
  func notJSON() throws {
    let export = try TelegramExport("Chat history with Marko\n12:01 hej")
    defer { export.remove() }
    #expect(
      export.error()
        == ImportError(
          file: "result.json", position: "line 1, column 1 (byte 0)",
          message: "this is not valid JSON, so it is not a Telegram Desktop export."
        )
    )
  }

  @Test("A truncated export is refused as cut short, at its end")
  func truncatedJSON() throws {
    let export = try TelegramExport("{\n \"name\": \"Marko\",\n \"messages\": [\n  {\"id\": 1, \"text\": \"hej")
    defer { export.remove() }
    #expect(
      export.error()
        == ImportError(
          file: "result.json", position: "line 4, column 25 (byte 59)",
          message: "the JSON stops before it is complete: the export was cut short or not copied in full."
        )
    )
  }

  @Test("A message without date_unixtime or with a non-numeric one is refused, and nothing is yielded")
  func unusableDate() throws {
    let missing = try TelegramExport(
      personalChat(
        #"""
          {"id": 1, "type": "message", "date_unixtime": "1795901465", "from": "Marko", "text": "ok"},
          {"id": 345, "type": "message", "date": "2026-11-28T22:31:05", "from": "Marko", "text": "no time"}
        """#
      )
    )
    defer { missing.remove() }
    #expect(
      missing.error()
        == ImportError(
          file: "result.json", position: "message 2 (id 345) in chat Marko",
          message: "message 2 (id 345) has no usable date: \"date_unixtime\" is missing."
        )
    )
    let wrong = try TelegramExport(
      personalChat(
        #"""
          {"id": 345, "type": "message", "date_unixtime": "28/11/2026", "from": "Marko", "text": "x"}
        """#
      )
    )
    defer { wrong.remove() }
    #expect(
      wrong.error()
        == ImportError(
          file: "result.json", position: "message 1 (id 345) in chat Marko",
          message: "message 1 (id 345) has no usable date: \"date_unixtime\" is \"28/11/2026\", "
            + "not a number of seconds."
        )
    )
  }

  @Test("An unknown chat name is refused with the names of the chats the export has")
  func unknownChat() throws {
    let export = try TelegramExport(
      #"""
      {"chats": {"list": [
        {"name": "Marko", "type": "personal_chat", "id": 1, "messages": []},
        {"name": "Grannarna", "type": "private_group", "id": 2, "messages": []}
      ]}}
      """#
    )
    defer { export.remove() }
    #expect(
      export.error(chat: "Mamma")
        == ImportError(
          file: "result.json",
          message: "there is no chat named \"Mamma\" in this export; its chats are \"Marko\", \"Grannarna\"."
        )
    )
  }

  @Test("JSON without a messages list is refused as not a Telegram chat export")
  func noMessages() throws {
    let export = try TelegramExport(#"{"name": "Marko", "type": "personal_chat", "id": 1}"#)
    defer { export.remove() }
    #expect(
      export.error()
        == ImportError(
          file: "result.json",
          message: "there is no \"messages\" list, so this is not a Telegram Desktop chat export (result.json)."
        )
    )
  }
}
