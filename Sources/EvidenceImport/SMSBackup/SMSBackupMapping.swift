import Foundation

/// Turns the `<sms>` and `<call>` elements of an export into messages.
enum SMSBackupMapping {
  /// The attributes of an `<sms>` and a `<call>` that become fields of the message; the rest are its details.
  private static let smsFieldsUsed: Set<String> = ["address", "body", "contact_name", "date", "type", "subject"]
  private static let callFieldsUsed: Set<String> = ["number", "date", "type", "contact_name", "presentation"]

  /// An `<sms>`: the other party is `address`; `type` says which way it went.
  static func sms(_ fields: inout SMSBackupFields, line: Int) throws -> ImportedMessage {
    let time = try fields.milliseconds("date")
    let type = try fields.text("type")
    let direction = smsDirection(type)
    let party = Party(name: try fields.contactName(), address: try fields.nonEmptyText("address"))
    let text = try fields.text("body") ?? ""
    let subject = try fields.nonEmptyText("subject")
    var details = try fields.details(excluding: smsFieldsUsed)
    if direction == .unknown, let type { details["type"] = type }
    finish(&details, fields: fields, line: line)
    let received = direction == .received || direction == .unknown
    return ImportedMessage(
      channel: .sms, direction: direction, sender: received ? party : nil, recipients: received ? [] : [party],
      time: time, text: text, subject: subject, position: fields.position, details: details
    )
  }

  /// A `<call>`: the other party is `number`; `presentation` says whether the number was shown.
  static func call(_ fields: inout SMSBackupFields, line: Int) throws -> ImportedMessage {
    let time = try fields.milliseconds("date")
    let type = try fields.text("type")
    let presentation = try fields.text("presentation")
    var channel = MessageChannel.call
    let direction: MessageDirection
    switch type {
    case "1": direction = .received
    case "2": direction = .sent
    case "3": direction = .missed
    case "4":
      channel = .voicemail
      direction = .received
    case "5": direction = .rejected
    case "6": direction = .blocked
    default: direction = .unknown
    }
    let withheld = presentation == "2"
    let party = Party(name: try fields.contactName(), address: withheld ? nil : try fields.nonEmptyText("number"))
    var details = try fields.details(excluding: callFieldsUsed)
    if direction == .unknown, let type { details["type"] = type }
    switch presentation {
    case nil: break
    case "1": details["presentation"] = "allowed"
    case "2": details["presentation"] = "withheld"
    case "3": details["presentation"] = "unknown"
    case "4": details["presentation"] = "payphone"
    case let other?: details["presentation"] = other
    }
    finish(&details, fields: fields, line: line)
    let outgoing = direction == .sent
    return ImportedMessage(
      channel: channel, direction: direction, sender: outgoing ? nil : party, recipients: outgoing ? [party] : [],
      time: time, text: "", position: fields.position, details: details
    )
  }

  /// The direction of an `<sms>` `type` (1 received … 6 queued).
  static func smsDirection(_ type: String?) -> MessageDirection {
    switch type {
    case "1": .received
    case "2": .sent
    case "3": .draft
    case "4": .outbox
    case "5": .failed
    case "6": .queued
    default: .unknown
    }
  }

  /// Adds the line and any repair notes to a message's details.
  static func finish(_ details: inout [String: String], fields: SMSBackupFields, line: Int) {
    details["line"] = String(line)
    if !fields.repairs.isEmpty { details["repaired"] = fields.repairs.joined(separator: "; ") }
  }
}

/// Collects one `<mms>` and its `<part>` and `<addr>` children; only this one message is held in memory.
struct MMSBuilder {
  private var fields: SMSBackupFields
  private let line: Int
  private let time: SourceTime?
  private let direction: MessageDirection
  private let boxType: String?
  private var texts: [String] = []
  private var attachments: [ImportedAttachment] = []
  private var from: [Party] = []
  private var recipients: [Party] = []
  private var sawAddrs = false
  private var partRepairs: [String] = []

  init(fields: SMSBackupFields, line: Int) throws {
    var fields = fields
    time = try fields.milliseconds("date")
    boxType = try fields.text("msg_box")
    switch boxType {
    case "1": direction = .received
    case "2": direction = .sent
    case "3": direction = .draft
    case "4": direction = .outbox
    case "5": direction = .failed
    default: direction = .unknown
    }
    self.fields = fields
    self.line = line
  }

  /// Takes a `<part>`: text joins the message text, data becomes an attachment, the SMIL layout is skipped.
  mutating func addPart(_ attributes: [XMLAttribute]) throws {
    var part = SMSBackupFields(
      file: fields.file, position: fields.position, owner: "a part's", attributes: attributes
    )
    let seq = try part.nonEmptyText("seq")
    let type = try part.nonEmptyText("ct")
    if seq == "-1" || type?.lowercased() == "application/smil" { return }
    let isText = type?.lowercased().hasPrefix("text/plain") ?? false
    if isText, let text = try part.text("text") { texts.append(text) }
    let name =
      try part.nonEmptyText("cl") ?? part.nonEmptyText("name") ?? part.nonEmptyText("fn")
      ?? "part-\(seq ?? String(attachments.count)).\(Self.fileExtension(for: type))"
    if let bytes = try part.bytes("data", noun: Self.noun(for: type)) {
      attachments.append(ImportedAttachment(name: name, declaredType: type, content: .bytes(bytes)))
    } else if !isText {
      attachments.append(
        ImportedAttachment(name: name, declaredType: type, content: .missing("The export has no data for this part."))
      )
    }
    partRepairs += part.repairs.map { "part \(seq ?? "?") \($0)" }
  }

  /// Takes an `<addr>`: 137 is the sender, 151 (to) and 130 (cc) are recipients.
  mutating func addAddress(_ attributes: [XMLAttribute]) throws {
    sawAddrs = true
    var addr = SMSBackupFields(
      file: fields.file, position: fields.position, owner: "an address's", attributes: attributes
    )
    guard let address = try addr.nonEmptyText("address") else { return }
    switch try addr.text("type") {
    case "137": from.append(Party(address: address))
    case "151", "130": recipients.append(Party(address: address))
    default: break
    }
    partRepairs += addr.repairs.map { "addr \($0)" }
  }

  /// The finished message, after `</mms>`.
  mutating func finish() throws -> ImportedMessage {
    let joined = try fields.nonEmptyText("address")
    let name = try fields.contactName()
    let subject = try fields.nonEmptyText("sub")
    var details = try fields.details(excluding: ["date", "msg_box", "address", "contact_name", "sub"])
    if direction == .unknown, let boxType { details["msg_box"] = boxType }
    var sender = from.first { $0.address != "insert-address-token" }
    var to = recipients
    if !sawAddrs, let joined {
      let parties = joined.split(separator: "~").map { Party(address: String($0)) }
      if direction == .received || direction == .unknown {
        sender = parties.first
      } else {
        to = parties
      }
    }
    // The name belongs to the other party only when there is just one.
    if let name, let joined, !joined.contains("~") {
      if sender?.address == joined { sender?.name = name }
      to = to.map { $0.address == joined ? Party(name: name, address: $0.address) : $0 }
    }
    SMSBackupMapping.finish(&details, fields: fields, line: line)
    if !partRepairs.isEmpty {
      details["repaired"] = ([details["repaired"]].compactMap { $0 } + partRepairs).joined(separator: "; ")
    }
    return ImportedMessage(
      channel: .mms, direction: direction, sender: sender, recipients: to, time: time,
      text: texts.joined(separator: "\n"), subject: subject, attachments: attachments,
      position: fields.position, details: details
    )
  }

  /// What to call a part in an error: "a picture", "a video", "a sound recording", "an attachment".
  static func noun(for type: String?) -> String {
    let type = type?.lowercased() ?? ""
    if type.hasPrefix("image/") { return "a picture" }
    if type.hasPrefix("video/") { return "a video" }
    if type.hasPrefix("audio/") { return "a sound recording" }
    return "an attachment"
  }

  /// A file extension for a made-up part name.
  static func fileExtension(for type: String?) -> String {
    let type = type?.lowercased().split(separator: ";").first.map(String.init) ?? ""
    let known = [
      "image/jpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
      "image/heic": "heic", "video/mp4": "mp4", "video/3gpp": "3gp", "audio/amr": "amr", "audio/mpeg": "mp3",
      "audio/mp4": "m4a", "text/plain": "txt", "text/x-vcard": "vcf", "text/vcard": "vcf",
    ]
    if let ext = known[type] { return ext }
    let subtype = type.split(separator: "/").last.map(String.init) ?? ""
    let clean = subtype.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    return clean.isEmpty ? "bin" : clean
  }
}
