# 可分离卷积（src/ops/separable.rs）与复合算子共用的文字
# （src/ops/compose.rs：两个网格之和、分解的事实）。

## spatially_separable_conv2d

separable-spatial = 空间可分离卷积（先 k×1，再 1×k）
    .summary = 先做 k×1 卷积、再做 1×k 卷积，等价于一次 k×k 卷积，其卷积核是两者的外积；权重只有 2k 个，而不是 k² 个。
separable-preset-sobel = 索贝尔算子：二项式 ⊗ 差分
separable-preset-box = 方框模糊（全 1）
separable-preset-random = 随机整数
separable-kernel-size = 卷积核大小
separable-spatial-kernel-help = k：先是 k×1 的一列，再是 1×k 的一行。
separable-padding = 填充
    .help = 输入四周补的零（p）。
separable-spatial-padding-help = 输入四周补的零（p），由两次卷积分担。
separable-stride = 步长
    .help = 窗口移动的步长（s）。
separable-spatial-stride-help = 窗口移动的步长（s），由两次卷积分担。
separable-channels = 通道数
    .help = 通道数（C）；每个通道单独滤波（groups = C）。
separable-kernel = 卷积核
    .help = 列向量与行向量。
separable-column-a = 列 a（k×1）
separable-column-pass-t = 列卷积结果 t
separable-row-b = 行 b（1×k）
separable-outer-w = W = a·b（k×k）
separable-full-equal = 完整卷积 y′ = y
separable-spatial-passes = W[i, j] = a[i] · b[j]：先做列卷积（纵向：步长 { $s }，填充 { $p }），再做行卷积（横向）
separable-note-column-row = （列 a、行 b）
separable-note-w = （W）
separable-kind-separable = 可分离

## depthwise_separable_conv2d

separable-depthwise = 深度可分离卷积（先逐通道卷积，再 1×1 卷积）
    .summary = 先做 k×k 的逐通道卷积（每个通道一个卷积核，groups = C），再做混合各通道的 1×1 逐点卷积，并与它所替代的完整卷积对照。
separable-in-channels = 输入通道数
    .help = 输入的通道数（C）。
separable-out-channels = 输出通道数
    .help = 输出的通道数（C_out）。
separable-depthwise-kernel-help = 逐通道 k×k 卷积核的 k。
separable-depthwise-d = 逐通道卷积核 d
separable-depthwise-t = 逐通道卷积结果 t
separable-pointwise-q = 逐点卷积核 q（1×1）
separable-full-kernel = 完整卷积核 W
separable-full-conv = 完整卷积 y′
separable-depthwise-weights = 权重：C·k² + C·C_out = { $depthwise } + { $pointwise } = { $sum }，对比 C·C_out·k² = { $dense }
separable-depthwise-ratio = 比值 1/C_out + 1/k² = { $ratio }（例如 16 → 32 个通道、3×3：16·9 + 16·32 = 656，对比 4608）
separable-depthwise-products = 乘加：逐通道 { $depthwise } + 逐点 { $pointwise }，对比完整卷积 { $full }（输出 { $size }）

## 复合算子（compose.rs）

separable-sum-stage = 求和
    .explain = 每个输出单元格等于 { $a } 与 { $b } 之和。
# 两趟分解与完整算子的对照：$split_note、$whole_note 跟在计数之后（或为空）；$kind 是分解的名称。
separable-fact-weights = 权重：{ $split } = { $a } + { $b }{ $split_note }，而不是 { $whole } = { $full }{ $whole_note }
separable-fact-products = 乘加：{ $kind } { $a } + { $b }，对比完整卷积 { $full }
