import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Turns one chat of a Telegram export into `ImportedMessage` values.
struct TelegramChatReader {
  /// The chat's JSON object ({name, type, id, messages}).
  let chat: [String: Any]
  /// The folder holding result.json, against which photo and file paths are resolved.
  let folder: URL
  /// Who the person is, to tell sent from received.
  let identity: TelegramIdentity
  /// The export file's name, for errors.
  let file: String

  /// The chat's name as the export gives it, or a stand-in built from its id for chats without one.
  static func name(of chat: [String: Any]) -> String {
    if let name = chat["name"] as? String { return name }
    return "(unnamed chat \(TelegramJSON.string(chat["id"]) ?? "without id"))"
  }

  /// Every message and phone call of the chat, in file order.
  func messages() throws -> [ImportedMessage] {
    let chatName = Self.name(of: chat)
    guard let list = chat["messages"] as? [Any] else {
      throw ImportError(file: file, position: "chat \(chatName)", message: "this chat has no \"messages\" list.")
    }
    var result: [ImportedMessage] = []
    for (offset, value) in list.enumerated() {
      let label = "message \(offset + 1)"
      guard let object = value as? [String: Any] else {
        throw ImportError(
          file: file, position: "\(label) in chat \(chatName)", message: "\(label) is not a JSON object."
        )
      }
      if let message = try message(object, index: offset + 1, chatName: chatName) {
        result.append(message)
      }
    }
    return result
  }

  /// One message, a phone call, or nil for another kind of service message.
  private func message(_ object: [String: Any], index: Int, chatName: String) throws -> ImportedMessage? {
    let id = TelegramJSON.string(object["id"])
    let label = id.map { "message \(index) (id \($0))" } ?? "message \(index)"
    let position = "\(label) in chat \(chatName)"
    let isService = (object["type"] as? String) == "service"
    let action = object["action"] as? String
    if isService && action != "phone_call" { return nil }

    let time = try instant(of: object, label: label, position: position)
    let from = (object["from"] as? String) ?? (object["actor"] as? String)
    let fromID = TelegramJSON.string(object["from_id"]) ?? TelegramJSON.string(object["actor_id"])
    let sender: Party? = from == nil && fromID == nil ? nil : Party(name: from, address: fromID)
    let isMine = identity.isMe(fromID: fromID, from: from)
    var details = ["chat": chatName]
    if let duration = TelegramJSON.string(object["duration_seconds"]) {
      details["duration"] = duration
    }
    if let raw = object["edited_unixtime"] {
      details["edited"] = Self.rfc3339(
        try seconds(raw, field: "edited_unixtime", label: label, position: position, required: false))
    }

    if isService {
      let reason = object["discard_reason"] as? String
      if let reason { details["discard_reason"] = reason }
      return ImportedMessage(
        channel: .call, direction: reason == "missed" ? .missed : (isMine ? .sent : .received),
        sender: sender, time: SourceTime(instant: time), text: Self.text(of: object["text"]).text,
        position: position, details: details
      )
    }

    let (text, links) = Self.text(of: object["text"])
    if !links.isEmpty { details["links"] = links.joined(separator: "\n") }
    if let reply = TelegramJSON.string(object["reply_to_message_id"]) { details["reply_to"] = reply }
    if let forwarded = object["forwarded_from"] as? String { details["forwarded_from"] = forwarded }
    if let mediaType = object["media_type"] as? String { details["media_type"] = mediaType }
    return ImportedMessage(
      channel: .telegram, direction: isMine ? .sent : .received, sender: sender, time: SourceTime(instant: time),
      text: text, attachments: attachments(of: object, id: id ?? String(index)), position: position,
      details: details
    )
  }

  /// The instant from "date_unixtime" (seconds since 1970, as a string); "date" is local time and never used.
  private func instant(of object: [String: Any], label: String, position: String) throws -> Date {
    guard let raw = object["date_unixtime"] else {
      throw ImportError(
        file: file, position: position, message: "\(label) has no usable date: \"date_unixtime\" is missing."
      )
    }
    return try seconds(raw, field: "date_unixtime", label: label, position: position, required: true)
  }

  /// The instant of a field of seconds since 1970, between 1970 and 9999; anything else ends the import.
  private func seconds(_ raw: Any, field: String, label: String, position: String, required: Bool) throws -> Date {
    let problem = required ? "has no usable date" : "has an unusable \"\(field)\""
    guard let text = TelegramJSON.string(raw), let seconds = Int64(text) else {
      throw ImportError(
        file: file, position: position,
        message: "\(label) \(problem): \"\(field)\" is \(Self.describe(raw)), not a number of seconds."
      )
    }
    guard let instant = SourceTimeRange.instant(seconds: seconds) else {
      throw ImportError(
        file: file, position: position,
        message: "\(label) \(problem): \"\(field)\" is \(seconds) seconds, not a time between 1970 and 9999."
      )
    }
    return instant
  }

  /// The photo and file of a message, each on disk next to the export or marked missing.
  private func attachments(of object: [String: Any], id: String) -> [ImportedAttachment] {
    var result: [ImportedAttachment] = []
    if let photo = object["photo"] as? String {
      let declared = object["file"] == nil ? object["mime_type"] as? String : nil
      result.append(attachment(path: photo, fileName: nil, declaredType: declared, fallback: "photo-\(id).jpg"))
    }
    if let path = object["file"] as? String {
      result.append(
        attachment(
          path: path, fileName: object["file_name"] as? String, declaredType: object["mime_type"] as? String,
          fallback: "file-\(id)"
        )
      )
    }
    return result
  }

  /// One attachment: the file when it is inside the export folder and exists, else `.missing` with the reason.
  private func attachment(path: String, fileName: String?, declaredType: String?, fallback: String)
    -> ImportedAttachment
  {
    if path.hasPrefix("(") && path.hasSuffix(")") {
      return ImportedAttachment(name: fileName ?? fallback, declaredType: declaredType, content: .missing(path))
    }
    let base = folder.standardizedFileURL
    let target = base.appendingPathComponent(path).standardizedFileURL
    let last = target.lastPathComponent
    let name = fileName ?? (last.isEmpty ? fallback : last)
    func missing(_ reason: String) -> ImportedAttachment {
      ImportedAttachment(name: name, declaredType: declaredType, content: .missing(reason))
    }
    guard path.utf8.count <= 4_096, !path.hasPrefix("/"), Self.isInside(target.path, base.path) else {
      return missing("the export names a file outside its folder: \(path)")
    }
    // The file, with every symbolic link on the way resolved, must still lie inside the (resolved) folder.
    guard let realTarget = Self.realPath(target.path), let realBase = Self.realPath(base.path) else {
      return missing("the file is not in the export folder: \(path)")
    }
    guard Self.isInside(realTarget, realBase) else {
      return missing("the export names a file that links to outside its folder: \(path)")
    }
    var info = stat()
    guard stat(realTarget, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      return missing("the file is not in the export folder: \(path)")
    }
    return ImportedAttachment(name: name, declaredType: declaredType, content: .file(target))
  }

  /// Whether `path` lies inside the folder `folder` (both absolute, without "." or "..").
  private static func isInside(_ path: String, _ folder: String) -> Bool {
    path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  /// The path with every symbolic link resolved (realpath(3)), or nil when it does not exist.
  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The exact text: a string as it is, or an array of strings and entities joined with no separator.
  ///
  /// Also returns the hidden addresses of "text_link" entities, whose shown text differs from where they lead.
  static func text(of value: Any?) -> (text: String, links: [String]) {
    if let text = value as? String { return (text, []) }
    guard let parts = value as? [Any] else { return ("", []) }
    var text = ""
    var links: [String] = []
    for part in parts {
      if let string = part as? String {
        text += string
      } else if let entity = part as? [String: Any] {
        text += entity["text"] as? String ?? ""
        if let href = entity["href"] as? String { links.append(href) }
      }
    }
    return (text, links)
  }

  /// RFC 3339 in UTC, to the second ("2026-11-28T21:31:05Z").
  static func rfc3339(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle())
  }

  /// A short description of a JSON value for an error message (a long one is cut short).
  private static func describe(_ value: Any) -> String {
    func short(_ text: String) -> String { text.count > 24 ? "\(text.prefix(24))…" : text }
    if let text = value as? String { return "\"\(short(text))\"" }
    if value is NSNull { return "null" }
    if value is [Any] { return "a list" }
    if value is [String: Any] { return "an object" }
    return short("\(value)")
  }
}
