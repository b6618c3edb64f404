import Foundation

/// What an incident was about; the labels people and officers see live in the renderers.
public enum IncidentCategory: String, Codable, CaseIterable, Sendable {
  case threat
  case physicalViolence = "physical-violence"
  case sexualViolence = "sexual-violence"
  case forcedLabour = "forced-labour"
  case coercionIntoCrimeOrBegging = "coercion-into-crime-or-begging"
  case debtOrMoneyTaken = "debt-or-money-taken"
  case documentsTaken = "documents-taken"
  case restrictionOfMovement = "restriction-of-movement"
  case stalkingOrSurveillance = "stalking-or-surveillance"
  case onlineAbuse = "online-abuse"
  case damageToProperty = "damage-to-property"
  case other
}

/// The part a person played in an incident.
public enum PersonRole: String, Codable, CaseIterable, Sendable {
  case perpetrator, witness, other
}

/// When an incident happened, as precisely as the person knows it.
public struct Occurrence: Codable, Equatable, Sendable {
  /// The first instant of what the person named, RFC 3339 UTC.
  public var start: String
  /// When it ended, if the person said, RFC 3339 UTC.
  public var end: String?
  /// How precise `start` is.
  public var precision: TimePrecision
  /// True when the person marked the time as a guess (`--approx`).
  public var approximate: Bool
  /// The person's time zone (IANA name), in which the time is shown.
  public var timeZone: String

  public init(start: Date, end: Date? = nil, precision: TimePrecision, approximate: Bool = false, timeZone: TimeZone) {
    self.start = WhenFormatter.rfc3339UTC(start)
    self.end = end.map(WhenFormatter.rfc3339UTC)
    self.precision = precision
    self.approximate = approximate
    self.timeZone = timeZone.identifier
  }

  /// `start` as a date (the distant past if the stored text is malformed, so it sorts first and is visible).
  public var startDate: Date { WhenFormatter.parseRFC3339UTC(start) ?? .distantPast }
  /// `end` as a date.
  public var endDate: Date? { end.flatMap(WhenFormatter.parseRFC3339UTC) }
  /// The stored time zone, or UTC if the name is unknown to this system.
  public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC") ?? .current }
}

/// A person's part in an incident, by person record id.
public struct Participant: Codable, Equatable, Sendable {
  public var person: String
  public var role: PersonRole
  public init(person: String, role: PersonRole) {
    self.person = person
    self.role = role
  }
}

/// Money demanded, paid, withheld or taken.
public struct MoneyAmount: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, CaseIterable, Sendable { case demanded, paid, withheld, taken }
  public var kind: Kind
  /// The amount as the person wrote it, digits with an optional decimal part ("2500", "2500.50").
  public var amount: String
  /// ISO 4217 code, SEK unless said otherwise.
  public var currency: String
  public var note: String?
  public init(kind: Kind, amount: String, currency: String = "SEK", note: String? = nil) {
    self.kind = kind
    self.amount = amount
    self.currency = currency
    self.note = note
  }
}

/// The fields every record carries; the vault stamps them when it appends the record.
public struct RecordStamp: Codable, Equatable, Sendable {
  /// A random UUID, lowercase.
  public var id: String
  /// 16 random bytes as hex: stops anyone guessing an unrevealed record from its leaf.
  public var salt: String
  /// When the record was written, from the device clock, RFC 3339 UTC.
  public var recordedAt: String

  static let unstamped = RecordStamp(id: "", salt: "", recordedAt: "")
}

/// How a record came into the journal other than by the person at an unlocked vault: through the inbox, written
/// without the passphrase (`evidence note`) and taken in at the next unlock.
///
/// Anyone who holds the vault folder can put items into the inbox, so a record with an intake mark is shown with
/// a warning that it was not protected by the passphrase when it was written.
public struct Intake: Codable, Equatable, Sendable {
  /// How it came in: `quick-note`, or `failed-unlock` (an `access` record). Drafts come later.
  public var via: String
  /// When the note was written, or the wrong passphrase given (the device clock of the process that wrote the
  /// item), RFC 3339 UTC.
  public var notedAt: String
  /// SHA-256 of the inbox item file it came from (hex): intake skips an item whose records are in the journal.
  public var item: String

  public static let quickNote = "quick-note"
  public static let failedUnlock = "failed-unlock"

  public init(via: String, notedAt: String, item: String) {
    self.via = via
    self.notedAt = notedAt
    self.item = item
  }
}

/// An incident, as the person told it (Schemas/record-entry.schema.json).
public struct Entry: Equatable, Sendable {
  public internal(set) var stamp: RecordStamp
  public var occurred: Occurrence
  public var title: String
  public var narrative: String
  public var location: String?
  public var categories: [IncidentCategory]
  public var people: [Participant]
  public var injuries: String?
  public var amounts: [MoneyAmount]
  public var policeReference: String?
  public var tags: [String]
  /// Ids of attachment records (exhibits).
  public var attachments: [String]
  /// The id of the entry this one replaces, for an amendment.
  public internal(set) var supersedes: String?
  /// Set when the entry came in as a quick note through the inbox.
  public internal(set) var intake: Intake?

  public init(
    occurred: Occurrence, title: String, narrative: String, location: String? = nil,
    categories: [IncidentCategory] = [], people: [Participant] = [], injuries: String? = nil,
    amounts: [MoneyAmount] = [], policeReference: String? = nil, tags: [String] = [], attachments: [String] = []
  ) {
    self.stamp = .unstamped
    self.occurred = occurred
    self.title = title
    self.narrative = narrative
    self.location = location
    self.categories = categories
    self.people = people
    self.injuries = injuries
    self.amounts = amounts
    self.policeReference = policeReference
    self.tags = tags
    self.attachments = attachments
    self.supersedes = nil
    self.intake = nil
  }
}

/// Someone who appears in the journal (Schemas/record-person.schema.json).
public struct Person: Equatable, Sendable {
  public internal(set) var stamp: RecordStamp
  public var name: String
  public var aliases: [String]
  /// E.164 numbers.
  public var phones: [String]
  public var emails: [String]
  /// Handles on apps (WhatsApp, Telegram, Instagram…), as written.
  public var handles: [String]
  /// Who they are to the person ("recruiter", "ex-partner").
  public var relation: String?
  public var notes: String?
  /// The id of the person record this one replaces.
  public internal(set) var supersedes: String?

  public init(
    name: String, aliases: [String] = [], phones: [String] = [], emails: [String] = [], handles: [String] = [],
    relation: String? = nil, notes: String? = nil
  ) {
    self.stamp = .unstamped
    self.name = name
    self.aliases = aliases
    self.phones = phones
    self.emails = emails
    self.handles = handles
    self.relation = relation
    self.notes = notes
    self.supersedes = nil
  }

  /// True if `text` is this person's name or one of their aliases, ignoring case and surrounding spaces.
  public func isKnown(as text: String) -> Bool {
    let wanted = text.trimmingCharacters(in: .whitespaces)
    return ([name] + aliases).contains { $0.compare(wanted, options: [.caseInsensitive]) == .orderedSame }
  }
}

/// A file kept as an exhibit: a reference to its encrypted blob and what an investigator needs to trust it
/// (Schemas/record-attachment.schema.json).
public struct Attachment: Equatable, Sendable {
  public internal(set) var stamp: RecordStamp
  /// The blob's file name in `blobs/`: keyed BLAKE2b of the SHA-256 (hex, 32 bytes).
  public var blob: String
  /// SHA-256 of the original bytes (hex), the hash police tools use.
  public var sha256: String
  /// Size of the original in bytes.
  public var size: Int64
  /// The media type from the file's own first bytes, never from its name.
  public var mediaType: String
  /// The file's name when it was attached.
  public var originalName: String
  /// The file's modification time when it was attached, RFC 3339 UTC.
  public var modifiedAt: String?
  /// When, where and with what a photo was taken, from its EXIF data.
  public var capture: CaptureMetadata?
  /// The id of the entry it belongs to (any version's); nil for a loose exhibit.
  public var entry: String?
  /// The id of the attachment record this one replaces (when a loose exhibit is tied to an entry).
  public internal(set) var supersedes: String?
  /// Set when the file came in with a quick note through the inbox.
  public internal(set) var intake: Intake?

  public init(
    blob: String, sha256: String, size: Int64, mediaType: String, originalName: String, modifiedAt: String? = nil,
    capture: CaptureMetadata? = nil, entry: String? = nil
  ) {
    self.stamp = .unstamped
    self.blob = blob
    self.sha256 = sha256
    self.size = size
    self.mediaType = mediaType
    self.originalName = originalName
    self.modifiedAt = modifiedAt
    self.capture = capture
    self.entry = entry
    self.supersedes = nil
    self.intake = nil
  }
}

/// A wrong passphrase given to this vault (Schemas/record-access.schema.json): sealed to the inbox by the process
/// that was given it and taken into the journal at the next unlock. It never holds anything of the passphrase.
///
/// Anyone who holds the vault folder can write such an item (the inbox key is public), so a record proves that an
/// item was there, not who wrote it.
public struct AccessAttempt: Equatable, Sendable {
  /// How the wrong passphrase came.
  public enum Entry: String, Codable, Sendable {
    /// Typed at the terminal's passphrase prompt.
    case terminal
    /// Read from a file descriptor (`--passphrase-fd`): a script, or a file.
    case descriptor
  }

  public internal(set) var stamp: RecordStamp
  /// When the wrong passphrase was given, by the device clock of the process that was given it, RFC 3339 UTC.
  public var failedAt: String
  /// The command that asked for the passphrase.
  public var command: String
  /// How the passphrase came.
  public var entry: Entry
  /// The inbox item it came from (`via` `failed-unlock`); always present in records this version writes.
  public internal(set) var intake: Intake?

  init(failedAt: String, command: String, entry: Entry) {
    self.stamp = .unstamped
    self.failedAt = failedAt
    self.command = command
    self.entry = entry
    self.intake = nil
  }

  /// `failedAt` as a date (the distant past if the stored text is malformed).
  public var failedDate: Date { WhenFormatter.parseRFC3339UTC(failedAt) ?? .distantPast }
}

/// One decrypted record of the journal.
public enum Record: Equatable, Sendable {
  case entry(Entry)
  case person(Person)
  case attachment(Attachment)
  case message(Message)
  case anchor(Anchor)
  case access(AccessAttempt)
  /// A record type from a newer version of this program: kept, counted in the chain, not interpreted.
  case unknown(type: String, id: String)

  /// The record's id.
  public var id: String {
    switch self {
    case .entry(let entry): entry.stamp.id
    case .person(let person): person.stamp.id
    case .attachment(let attachment): attachment.stamp.id
    case .message(let message): message.stamp.id
    case .anchor(let anchor): anchor.stamp.id
    case .access(let access): access.stamp.id
    case .unknown(_, let id): id
    }
  }

  /// The record's `recordedAt`, as stored.
  public var recordedAt: String? {
    switch self {
    case .entry(let entry): entry.stamp.recordedAt
    case .person(let person): person.stamp.recordedAt
    case .attachment(let attachment): attachment.stamp.recordedAt
    case .message(let message): message.stamp.recordedAt
    case .anchor(let anchor): anchor.stamp.recordedAt
    case .access(let access): access.stamp.recordedAt
    case .unknown: nil
    }
  }
}
