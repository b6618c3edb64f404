import Foundation

/// Reads Telegram Desktop's JSON export (result.json): one chat, or `chats.list` of many.
///
/// The whole file is loaded and checked before the first message is handed on, so a broken export yields nothing.
/// Times come from "date_unixtime" only: "date" is the exporting computer's local time without an offset.
public struct TelegramReader {
  /// The export's result.json (or the folder holding it).
  public let url: URL
  /// Only the chat with this name (case-insensitive); nil for all chats.
  public let chat: String?
  /// The person's own display name or user id; nil to take it from "personal_information".
  public let me: String?
  /// What the export may make the reader hold.
  var limits = ImportLimits.standard

  /// Prepares to read one export.
  ///
  /// - url: the export's result.json, or the folder that holds it.
  /// - chat: only the chat with this name (case-insensitive); nil for all chats.
  /// - me: the person's own display name or user id ("user123456"), to tell sent from received; nil: read it from
  ///   the export's "personal_information" when present.
  public init(url: URL, chat: String? = nil, me: String? = nil) {
    self.url = url
    self.chat = chat
    self.me = me
  }

  /// Reads every message (and phone call) of the chosen chats, in file order, and hands each to `handler`.
  ///
  /// Service messages other than phone calls (joins, pins, title changes) are skipped.
  /// Throws `ImportError` for an export that cannot be read, and rethrows whatever `handler` throws.
  public func read(progress: ImportProgress = { _, _ in }, _ handler: (ImportedMessage) throws -> Void) throws {
    let file = resultFile()
    let data = try load(file)
    let total = Int64(data.count)
    progress(total, total)
    let root = try TelegramJSON.parse(data, file: file.lastPathComponent)
    let chats = try selectedChats(in: root, file: file.lastPathComponent)
    let identity = TelegramIdentity(me: me, root: root)
    let folder = file.deletingLastPathComponent()
    var messages: [ImportedMessage] = []
    for chatObject in chats {
      let chatReader = TelegramChatReader(
        chat: chatObject, folder: folder, identity: identity, file: file.lastPathComponent
      )
      messages += try chatReader.messages()
    }
    for message in messages {
      try handler(message)
    }
  }

  /// The result.json to read: `url` itself, or result.json inside it when `url` is the export folder.
  private func resultFile() -> URL {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      return url.appendingPathComponent("result.json")
    }
    return url
  }

  /// The file's bytes (at most `limits.telegramJSONByteCount`), or an `ImportError` saying why they could not be read.
  private func load(_ file: URL) throws -> Data {
    Data(try BoundedFile.read(file, limit: limits.telegramJSONByteCount, what: "The export"))
  }

  /// The chats the export holds, narrowed to `chat` when one was asked for.
  private func selectedChats(in root: [String: Any], file: String) throws -> [[String: Any]] {
    let all: [[String: Any]]
    if let chats = root["chats"] as? [String: Any] {
      guard let list = chats["list"] as? [Any] else {
        throw ImportError(file: file, message: "the export has \"chats\" but no \"list\" of chats in it.")
      }
      all = try list.enumerated().map { index, value in
        guard let object = value as? [String: Any] else {
          throw ImportError(file: file, position: "chat \(index + 1)", message: "this chat is not a JSON object.")
        }
        return object
      }
    } else if root["messages"] != nil {
      all = [root]
    } else {
      throw ImportError(
        file: file,
        message: "there is no \"messages\" list, so this is not a Telegram Desktop chat export (result.json)."
      )
    }
    guard let wanted = chat else { return all }
    let matching = all.filter {
      TelegramChatReader.name(of: $0).caseInsensitiveCompare(wanted) == .orderedSame
    }
    guard matching.isEmpty else { return matching }
    let names = all.map { "\"\(TelegramChatReader.name(of: $0))\"" }
    let known = names.isEmpty ? "the export has no chats at all" : "its chats are \(names.joined(separator: ", "))"
    throw ImportError(file: file, message: "there is no chat named \"\(wanted)\" in this export; \(known).")
  }
}

/// Who "me" is in an export: the ids and names whose messages count as sent.
struct TelegramIdentity {
  /// Lowercased user ids ("user123456").
  var ids: Set<String> = []
  /// Lowercased display names.
  var names: Set<String> = []

  /// Takes "me" from the caller when given, else from the export's "personal_information".
  init(me: String?, root: [String: Any]) {
    if let me = me?.trimmingCharacters(in: .whitespacesAndNewlines), !me.isEmpty {
      let lowered = me.lowercased()
      ids.insert(lowered)
      names.insert(lowered)
      if lowered.allSatisfy(\.isNumber) {
        ids.insert("user" + lowered)
      }
    } else if let info = root["personal_information"] as? [String: Any],
      let userID = TelegramJSON.string(info["user_id"])
    {
      ids.insert("user" + userID.lowercased())
    }
  }

  /// True when a message from this sender was written by the person.
  func isMe(fromID: String?, from: String?) -> Bool {
    if let fromID, ids.contains(fromID.lowercased()) { return true }
    if let from, names.contains(from.lowercased()) { return true }
    return false
  }
}

/// Small helpers over `JSONSerialization` values.
enum TelegramJSON {
  /// Parses the whole export, saying where the JSON breaks when it does.
  static func parse(_ data: Data, file: String) throws -> [String: Any] {
    let value: Any
    do {
      value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw jsonError(error, data: data, file: file)
    }
    guard let object = value as? [String: Any] else {
      throw ImportError(
        file: file,
        message: "the JSON does not start with an object, so this is not a Telegram Desktop export (result.json)."
      )
    }
    return object
  }

  /// A string for a JSON string or integer ("user123", 345); nil for anything else.
  static func string(_ value: Any?) -> String? {
    if let text = value as? String { return text }
    if let integer = value as? Int64 { return String(integer) }
    return nil
  }

  /// Turns a `JSONSerialization` error into an `ImportError` with the line, column and byte where it happened.
  private static func jsonError(_ error: Error, data: Data, file: String) -> ImportError {
    if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
      return ImportError(file: file, message: "the file is empty, so it is not a Telegram Desktop export.")
    }
    let info = (error as NSError).userInfo
    let description = info[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    if description.localizedCaseInsensitiveContains("end of file") {
      return ImportError(
        file: file,
        position: location(ofByte: data.count, in: data),
        message: "the JSON stops before it is complete: the export was cut short or not copied in full."
      )
    }
    let position: String?
    if let index = info["NSJSONSerializationErrorIndex"] as? Int {
      position = location(ofByte: index, in: data)
    } else if let index = number(after: "character ", in: description) {
      position = location(ofByte: index, in: data)
    } else if let line = number(after: "line ", in: description) {
      position = number(after: "column ", in: description).map { "line \(line), column \($0)" } ?? "line \(line)"
    } else {
      position = nil
    }
    return ImportError(
      file: file, position: position, message: "this is not valid JSON, so it is not a Telegram Desktop export."
    )
  }

  /// The number right after `label` in Foundation's error text ("… around character 15."), when there is one.
  private static func number(after label: String, in description: String) -> Int? {
    guard let range = description.range(of: label) else { return nil }
    return Int(description[range.upperBound...].prefix(while: \.isNumber))
  }

  /// "line 3, column 7 (byte 41)" for a byte offset into the data.
  private static func location(ofByte offset: Int, in data: Data) -> String {
    let end = min(max(offset, 0), data.count)
    let before = data.prefix(end)
    let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
    let column = end - (lineStart - before.startIndex) + 1
    return "line \(line), column \(column) (byte \(end))"
  }
}
