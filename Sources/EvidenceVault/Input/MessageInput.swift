import Foundation

/// A message as typed on the command line, before it becomes a `Message`.
public struct MessageInput: Sendable {
  public var channel: String
  public var at: String
  /// A number, address, handle, or the name of a known person.
  public var from: String?
  public var to: [String] = []
  public var sent = false
  public var text = ""
  public var subject: String?
  public var entryNumber: Int?

  public init(channel: String, at: String) {
    self.channel = channel
    self.at = at
  }

  /// Everything given, as a draft's answers (see `Draft`): kept when the passphrase that follows is wrong, so
  /// the text need not be typed again.
  public var draftAnswers: [String: String] {
    var answers = ["channel": channel, "at": at, "text": text]
    if let from { answers["from"] = from }
    if !to.isEmpty { answers["to"] = to.joined(separator: "\n") }
    if sent { answers["sent"] = "yes" }
    if let subject { answers["subject"] = subject }
    if let entryNumber { answers["entry"] = String(entryNumber) }
    return answers
  }

  /// The input a draft kept (`draftAnswers`); nil when the draft lacks the channel or the time.
  public init?(draftAnswers answers: [String: String]) {
    guard let channel = answers["channel"], let at = answers["at"] else { return nil }
    self.init(channel: channel, at: at)
    from = answers["from"]
    to = answers["to"].map { $0.components(separatedBy: "\n") } ?? []
    sent = answers["sent"] == "yes"
    text = answers["text"] ?? ""
    subject = answers["subject"]
    entryNumber = answers["entry"].flatMap { Int($0) }
  }

  /// The message, with the sender linked to a known person by name, number, address or handle.
  /// - Throws: `invalidInput` for an unknown channel or unreadable date, `unknownEntry`.
  public func makeMessage(index: JournalIndex, timeZone: TimeZone, now: Date) throws(VaultError) -> Message {
    guard let channel = Message.Channel(rawValue: channel.lowercased()) else {
      throw VaultError(.invalidInput, "\"\(channel)\" is not a channel.")
    }
    let time: ParsedWhen
    do { time = try WhenParser(timeZone: timeZone, now: now).parse(at) } catch {
      throw VaultError(.invalidInput, error.message)
    }
    let entryId = try entryNumber.map { (number: Int) throws(VaultError) in
      try index.entry(number: number).original.stamp.id
    }
    let other = from.map { party($0, index: index) }
    let recipients = to.map { party($0, index: index) }
    return Message(
      channel: channel, direction: sent ? .sent : .received, from: sent ? nil : other,
      to: sent ? ([other].compactMap { $0 } + recipients) : recipients, sentAt: time.start,
      timeAmbiguous: time.wasAmbiguous, text: Self.withoutFinalLineBreaks(text), subject: subject, entry: entryId,
      provenance: Message.Provenance(position: "typed in by hand"),
      details: time.precision == .exact || time.precision == .minute ? [:] : ["precision": time.precision.rawValue])
  }

  /// The text without the line breaks a file or terminal puts at its end; everything else is kept exactly.
  static func withoutFinalLineBreaks(_ text: String) -> String {
    var text = Substring(text)
    while let last = text.last, last == "\n" || last == "\r\n" || last == "\r" { text.removeLast() }
    return String(text)
  }

  /// A known person's name or alias, else an address normalised like imported ones.
  private func party(_ text: String, index: JournalIndex) -> Message.Party {
    if let person = try? index.person(named: text) {
      return Message.Party(
        name: person.name, address: person.phones.first ?? person.emails.first, person: person.stamp.id)
    }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let address = (try? PhoneNumber.normalise(trimmed)) ?? (trimmed.contains("@") ? trimmed.lowercased() : trimmed)
    let person = index.people.first {
      $0.phones.contains(address) || $0.emails.contains(address) || $0.handles.contains(trimmed)
    }
    return Message.Party(name: person?.name, address: address, person: person?.stamp.id)
  }
}
