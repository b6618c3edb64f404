import Foundation

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
    if let edited = TelegramJSON.string(object["edited_unixtime"]).flatMap({ Int64($0) }) {
      details["edited"] = Self.rfc3339(Date(timeIntervalSince1970: TimeInterval(edited)))
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
    guard let text = TelegramJSON.string(raw), let seconds = Int64(text) else {
      throw ImportError(
        file: file, position: position,
        message: "\(label) has no usable date: \"date_unixtime\" is \(Self.describe(raw)), not a number of seconds."
      )
    }
    return Date(timeIntervalSince1970: TimeInterval(seconds))
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
    guard target.path.hasPrefix(base.path.hasSuffix("/") ? base.path : base.path + "/") else {
      return ImportedAttachment(
        name: name, declaredType: declaredType, content: .missing("the export names a file outside its folder: \(path)")
      )
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      return ImportedAttachment(
        name: name, declaredType: declaredType, content: .missing("the file is not in the export folder: \(path)")
      )
    }
    return ImportedAttachment(name: name, declaredType: declaredType, content: .file(target))
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

  /// A short description of a JSON value for an error message.
  private static func describe(_ value: Any) -> String {
    if let text = value as? String { return "\"\(text)\"" }
    if value is NSNull { return "null" }
    return "\(value)"
  }
}
