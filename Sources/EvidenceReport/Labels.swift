import EvidenceVault

/// The English words people see for the vault's coded values (the dossier adds Swedish).
public enum Labels {
  public static func category(_ category: IncidentCategory) -> String {
    switch category {
    case .threat: "threat"
    case .physicalViolence: "physical violence"
    case .sexualViolence: "sexual violence"
    case .forcedLabour: "forced labour"
    case .coercionIntoCrimeOrBegging: "coercion into crime or begging"
    case .debtOrMoneyTaken: "debt or money taken"
    case .documentsTaken: "documents taken"
    case .restrictionOfMovement: "restriction of movement"
    case .stalkingOrSurveillance: "stalking or surveillance"
    case .onlineAbuse: "online abuse"
    case .damageToProperty: "damage to property"
    case .other: "other"
    }
  }

  public static func role(_ role: PersonRole) -> String {
    switch role {
    case .perpetrator: "did it"
    case .witness: "witness"
    case .other: "involved"
    }
  }

  public static func amountKind(_ kind: MoneyAmount.Kind) -> String {
    switch kind {
    case .demanded: "demanded"
    case .paid: "paid"
    case .withheld: "withheld"
    case .taken: "taken"
    }
  }
}
