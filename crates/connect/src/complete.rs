//! What each answer must hold beyond what its generated type makes it hold.

use confluent_connect_api::types;

/// An answer the transport checks once it has decoded it.
pub(crate) trait Complete {
    /// A field that the documented answer has, that the facade needs, and that this answer
    /// lacks (or has as `null`); `None` when the answer is whole.
    fn missing_field(&self) -> Option<&'static str>;
}

impl Complete for types::ConnectV1ConnectorOffsets {
    /// An answer without `offsets` does not say where the connector is; one with no offsets
    /// says `"offsets": []`.
    fn missing_field(&self) -> Option<&'static str> {
        self.offsets.is_none().then_some("offsets")
    }
}

impl Complete for types::ConnectV1AlterOffsetRequestInfo {
    /// Every field the facade reads is required by the generated type.
    fn missing_field(&self) -> Option<&'static str> {
        None
    }
}

impl Complete for types::ConnectV1AlterOffsetStatus {
    /// Every field the facade reads is required by the generated type, but
    /// `previous_offsets`, which reads as empty when it is missing or `null`.
    fn missing_field(&self) -> Option<&'static str> {
        None
    }
}

/// Answers whose every field the facade reads is required by the generated type (or read as
/// empty when missing), or that have no body.
macro_rules! complete_as_decoded {
    ($($answer:ty),+ $(,)?) => {$(
        impl Complete for $answer {
            fn missing_field(&self) -> Option<&'static str> {
                None
            }
        }
    )+};
}

complete_as_decoded!(
    (),
    Vec<String>,
    types::ConnectV1ConnectorExpansionMap,
    types::ReadConnectv1ConnectorStatusResponse,
    types::ConnectV1Connector,
    types::ConnectV1ConnectorWithOffsets,
    types::GetConnectv1ConnectorConfigResponse,
    types::DeleteConnectv1ConnectorResponse,
    types::ConnectV1Connectors,
    Vec<types::ListConnectv1ConnectorPluginsResponseItem>,
    types::ValidateConnectv1ConnectorPluginResponse,
);
