package io.macroscope.dynamics.nn;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/** ONNX operators (opset 13) that Tribuo's operator set lacks, for exporting our networks. */
enum OnnxOps implements ONNXOperator {
  RELU("Relu", 1, 0),
  TANH("Tanh", 1, 0),
  EXP("Exp", 1, 0),
  CONV("Conv", 2, 1, "kernel_shape", "strides", "pads"),
  CONV_TRANSPOSE("ConvTranspose", 2, 1, "kernel_shape", "strides", "pads"),
  RESHAPE("Reshape", 2, 0),
  FLATTEN("Flatten", 1, 0, "axis"),
  MATMUL("MatMul", 2, 0),
  TRANSPOSE("Transpose", 1, 0, "perm"),
  REDUCE_SUM("ReduceSum", 1, 1, "keepdims"),
  MAX("Max", 2, 0),
  MIN("Min", 2, 0);

  private final String name;
  private final int inputs;
  private final int optionalInputs;
  private final Map<String, ONNXAttribute> attributes = new LinkedHashMap<>();

  OnnxOps(String name, int inputs, int optionalInputs, String... attributeNames) {
    this.name = name;
    this.inputs = inputs;
    this.optionalInputs = optionalInputs;
    for (String a : attributeNames) {
      AttributeType type =
          a.equals("axis") || a.equals("keepdims") ? AttributeType.INT : AttributeType.INTS;
      attributes.put(a, new ONNXAttribute(a, type, false));
    }
  }

  @Override
  public String getOpName() {
    return name;
  }

  @Override
  public int getNumInputs() {
    return inputs;
  }

  @Override
  public int getNumOptionalInputs() {
    return optionalInputs;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return attributes;
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return Set.of();
  }

  @Override
  public int getOpVersion() {
    return OnnxMlp.OPSET;
  }

  @Override
  public String getOpDomain() {
    return "ai.onnx";
  }
}
