import EvidenceVault
import Foundation

/// Anything that reads an export into messages: the SMS backup, WhatsApp, Telegram and e-mail readers.
public protocol MessageReader {
  func read(progress: ImportProgress, _ handler: (ImportedMessage) throws -> Void) throws
}

extension SMSBackupReader: MessageReader {}
extension WhatsAppReader: MessageReader {}
extension TelegramReader: MessageReader {}
extension EmailReader: MessageReader {}

/// Which of an export's messages to import.
public struct ImportOptions: Sendable {
  /// Only messages from or to these numbers, addresses or handles (as people write them); empty: all.
  public var parties: [String] = []
  /// Only messages whose sender has this name in the export (as a chat shows it), ignoring case.
  public var senderName: String?
  /// Only messages sent or received at or after this instant.
  public var since: Date?
  /// Only messages before this instant.
  public var until: Date?
  /// The entry (incident) the messages belong to, by record id.
  public var entryId: String?
  /// Make a person record for each sender the journal does not know yet.
  public var createPeople = false

  public init() {}
}

/// What an import did, for the person: `N new, M already in the vault, K skipped by filter`.
public struct ImportOutcome: Sendable, Equatable {
  public var summary: ImportSummary
  public var skippedByFilter: Int
  public var peopleCreated: [String]
}

/// Hands the messages of an export to the vault: normalises numbers and addresses, links them to people,
/// filters, and keeps where in the export each came from. All or nothing: see `Vault.importMessages`.
public enum MessageImporter {
  /// Reads `exportFile` with `reader` and imports what passes `options`.
  /// - Throws: `VaultError` (`invalidInput` naming the file, position and problem for a malformed export;
  ///   nothing is imported then), or what the vault throws.
  public static func run(
    _ reader: some MessageReader, exportFile: URL, into vault: Vault, options: ImportOptions,
    progress: @escaping ImportProgress = { _, _ in }
  ) throws -> ImportOutcome {
    let wanted = Set(options.parties.map(normalise))
    var skipped = 0
    var created: [String] = []
    do {
      let summary = try vault.importMessages(from: exportFile) { session in
        var people = PersonDirectory(people: session.people)
        try ReadAhead.read(reader, progress: progress) { imported in
          if !wanted.isEmpty {
            let addresses = ([imported.sender] + imported.recipients).compactMap { $0?.address }.map(normalise)
            guard addresses.contains(where: wanted.contains) else {
              skipped += 1
              return
            }
          }
          if let name = options.senderName, imported.sender?.name?.caseInsensitiveCompare(name) != .orderedSame {
            skipped += 1
            return
          }
          if let since = options.since, let time = imported.time?.instant, time < since {
            skipped += 1
            return
          }
          if let until = options.until, let time = imported.time?.instant, time >= until {
            skipped += 1
            return
          }
          var message = convert(imported, entryId: options.entryId, people: people)
          if options.createPeople, let sender = message.from, sender.person == nil, let address = sender.address {
            var name = sender.name
            if let known = name, session.people.contains(where: { $0.isKnown(as: known) }) {
              name = "\(known) (\(address))"  // someone else by that name: keep both apart
            }
            let person = try session.addPerson(PersonDirectory.newPerson(name: name, address: address))
            people.add(person)
            created.append(person.name)
            message.from?.person = person.stamp.id
          }
          let attachments = imported.attachments.compactMap { attachment -> AttachmentSource? in
            switch attachment.content {
            case .bytes(let bytes): return .bytes(bytes, name: attachment.name, modifiedAt: nil)
            case .file(let url): return .file(url)
            case .archiveMember(let member): return Self.stream(member, name: attachment.name)
            case .missing: return nil
            }
          }
          try session.add(message, attachments: attachments)
        }
      }
      return ImportOutcome(summary: summary, skippedByFilter: skipped, peopleCreated: created)
    } catch let error as ImportError {
      throw VaultError(
        .invalidInput, error.description, hint: "Nothing was imported; the vault is as it was.")
    }
  }

  /// A zip member as the vault stores it: inflated piece by piece into its blob; an error of the member (a zip
  /// bomb, a damaged zip) ends the import like any malformed export.
  static func stream(_ member: ArchiveMember, name: String) -> AttachmentSource {
    .stream(name: name, modifiedAt: nil) {
      (piece: (UnsafeRawBufferPointer) throws(VaultError) -> Void) throws(VaultError) in
      do {
        try member.read { try piece($0) }
      } catch let error as VaultError {
        throw error
      } catch let error as ImportError {
        throw VaultError(.invalidInput, error.description, hint: "Nothing was imported; the vault is as it was.")
      } catch {
        throw VaultError(
          .invalidInput, "\(member.archiveName): the zip member \(member.path) cannot be read.",
          hint: "Nothing was imported; the vault is as it was.")
      }
    }
  }

  /// A vault message from an imported one: addresses normalised, parties linked to known people.
  static func convert(_ imported: ImportedMessage, entryId: String?, people: PersonDirectory) -> Message {
    func party(_ source: Party) -> Message.Party {
      let address = source.address.map(people.normalised)
      // By number or address; a chat that shows only names (WhatsApp) links by a name or alias only one person has.
      let person =
        address.flatMap(people.personId(for:)) ?? (address == nil ? source.name.flatMap(people.personId(named:)) : nil)
      return Message.Party(name: source.name, address: address, person: person)
    }
    var details = imported.details
    for (offset, attachment) in imported.attachments.enumerated() {
      if case .missing(let reason) = attachment.content {
        details["missing attachment \(offset + 1)"] = "\(attachment.name): \(reason)"
      }
    }
    if imported.time == nil { details["time"] = "the source gives no usable time" }
    return Message(
      channel: Message.Channel(rawValue: imported.channel.rawValue) ?? .other,
      direction: Message.Direction(rawValue: imported.direction.rawValue) ?? .unknown,
      from: imported.sender.map(party), to: imported.recipients.map(party), sentAt: imported.time?.instant,
      timeAmbiguous: imported.time?.isAmbiguous ?? false, text: imported.text, subject: imported.subject,
      entry: entryId, provenance: Message.Provenance(position: imported.position), details: details)
  }

  /// A phone number in E.164 (Swedish by default), an e-mail address in lower case, a handle as written.
  static func normalise(_ address: String) -> String {
    let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.contains("@") && !trimmed.hasPrefix("@") { return trimmed.lowercased() }
    let phoneCharacters = CharacterSet(charactersIn: "+0123456789 -().\u{00A0}/")
    if !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy(phoneCharacters.contains),
      let number = try? PhoneNumber.normalise(trimmed)
    {
      return number
    }
    return trimmed
  }
}

/// Finds the person a number, address or handle belongs to.
struct PersonDirectory {
  private var byAddress: [String: String] = [:]
  private var people: [Person] = []

  init(people: [Person]) {
    for person in people { add(person) }
  }

  /// The one person with this name or alias, if exactly one has it.
  func personId(named name: String) -> String? {
    let matches = people.filter { $0.isKnown(as: name) }
    return matches.count == 1 ? matches[0].stamp.id : nil
  }

  mutating func add(_ person: Person) {
    people.append(person)
    for address in person.phones + person.emails + person.handles {
      byAddress[MessageImporter.normalise(address)] = person.stamp.id
    }
  }

  func personId(for address: String) -> String? { byAddress[address] }

  /// `MessageImporter.normalise`, remembered per address (an export repeats the same few senders).
  func normalised(_ address: String) -> String {
    if let known = normalisedCache.value[address] { return known }
    let result = MessageImporter.normalise(address)
    normalisedCache.value[address] = result
    return result
  }

  private let normalisedCache = Box<[String: String]>([:])

  /// A person for an unknown sender: named as the source names them, else by their address.
  static func newPerson(name: String?, address: String) -> Person {
    let isPhone = address.hasPrefix("+")
    let isEmail = address.contains("@") && !address.hasPrefix("@")
    return Person(
      name: name?.isEmpty == false ? name ?? address : address, phones: isPhone ? [address] : [],
      emails: isEmail ? [address] : [], handles: isPhone || isEmail ? [] : [address])
  }
}

/// A reference to a value, for a cache inside a value type.
final class Box<Value> {
  var value: Value
  init(_ value: Value) { self.value = value }
}
